using System.IO.Ports;
using EdgeCloud.Edge.Modbus.Rtu;

namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>
/// A Modbus RTU slave on a serial port (a real RS-485 adapter, or one end of a pty pair) over a
/// <see cref="SimulatorRegisterMap"/>: the RTU side of <c>edge-agent simulate modbus --serial</c>.
/// A request's length follows from its function code (8 bytes for 1-6, 9 + byte count for 15 and
/// 16), so frames are cut by length, not by timing, which holds on a loaded machine too. A frame
/// with a bad CRC, for another unit or with an unknown function is dropped without a reply, as the
/// serial line spec asks of a slave, and the input is discarded until the line is quiet. Broadcast
/// (unit 0) writes are performed without a reply.
/// </summary>
internal sealed class ModbusRtuSimulator(SimulatorRegisterMap map, byte unitId, RtuSerialSettings settings)
{
    /// <summary>Frames answered.</summary>
    public long Answered { get; private set; }

    /// <summary>Frames dropped (bad CRC, another unit, unknown function).</summary>
    public long Dropped { get; private set; }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var port = new SerialPort(settings.PortName, settings.BaudRate, settings.Parity, settings.DataBits, settings.StopBits)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
        };
        port.Open();
        var stream = port.BaseStream;
        var buffer = new byte[2 * RtuFrame.MaxLength];
        var response = new byte[RtuFrame.MaxLength];
        var length = 0;
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                length += read;
                while (Expected(buffer.AsSpan(0, length)) is { } frame && frame > 0 && frame <= length)
                {
                    var reply = Handle(buffer.AsSpan(0, frame), response);
                    if (reply > 0)
                    {
                        await stream.WriteAsync(response.AsMemory(0, reply), cancellationToken);
                    }

                    length -= frame;
                    Buffer.BlockCopy(buffer, frame, buffer, 0, length);
                }

                if (Expected(buffer.AsSpan(0, length)) is -1 || length == buffer.Length)
                {
                    // Not a request this slave can frame: drop everything and start over.
                    Dropped++;
                    length = 0;
                    port.DiscardInBuffer();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop.
        }
    }

    /// <summary>The request frame's length from its first bytes; null while too few are here, -1 when it cannot be a request.</summary>
    private static int? Expected(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 2)
        {
            return null;
        }

        return frame[1] switch
        {
            >= 1 and <= 6 => 8,
            15 or 16 => frame.Length < 7 ? null : 9 + frame[6],
            _ => -1,
        };
    }

    private int Handle(ReadOnlySpan<byte> frame, Span<byte> response)
    {
        if (!ModbusCrc16.IsValid(frame) || (frame[0] != unitId && frame[0] != 0))
        {
            Dropped++;
            return 0;
        }

        var pduLength = SimulatorRequestHandler.Handle(frame[1..^2], response[1..], map);
        if (frame[0] == 0)
        {
            return 0; // broadcast: performed, never answered
        }

        Answered++;
        response[0] = unitId;
        return ModbusCrc16.Append(response, 1 + pduLength);
    }
}
