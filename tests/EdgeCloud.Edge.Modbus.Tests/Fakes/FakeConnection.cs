using System.Buffers.Binary;
using System.Net.Sockets;

namespace EdgeCloud.Edge.Modbus.Tests.Fakes;

/// <summary>One accepted connection of a <see cref="FakeModbusServer"/>, with frame helpers.</summary>
internal sealed class FakeConnection(Socket socket, int index, CancellationToken stop) : IDisposable
{
    public int Index { get; } = index;

    public CancellationToken Stop { get; } = stop;

    /// <summary>Reads one request frame: transaction id, unit id and PDU.</summary>
    public async Task<(ushort TransactionId, byte UnitId, byte[] Pdu)> ReadRequestAsync()
    {
        var header = new byte[7];
        await ReadExactlyAsync(header);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
        var pdu = new byte[length - 1];
        await ReadExactlyAsync(pdu);
        return (BinaryPrimitives.ReadUInt16BigEndian(header), header[6], pdu);
    }

    /// <summary>Sends a frame with the given header fields (which may be wrong on purpose).</summary>
    public Task SendFrameAsync(ushort transactionId, byte unitId, byte[] pdu, ushort protocolId = 0, int? lengthField = null)
    {
        var frame = new byte[7 + pdu.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), protocolId);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)(lengthField ?? (pdu.Length + 1)));
        frame[6] = unitId;
        pdu.CopyTo(frame, 7);
        return SendAsync(frame);
    }

    /// <summary>A function 3/4 reply PDU carrying <paramref name="registers"/>.</summary>
    public static byte[] ReadReply(byte function, params ushort[] registers)
    {
        var pdu = new byte[2 + (registers.Length * 2)];
        pdu[0] = function;
        pdu[1] = (byte)(registers.Length * 2);
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(pdu.AsSpan(2 + (i * 2)), registers[i]);
        }

        return pdu;
    }

    public async Task SendAsync(byte[] bytes) => await socket.SendAsync(bytes, SocketFlags.None, Stop);

    /// <summary>Aborts the connection with a TCP RST (linger 0), as a crashing device or a firewall does.</summary>
    public void Reset()
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>Waits until the test ends without answering.</summary>
    public Task StallAsync() => Task.Delay(Timeout.Infinite, Stop);

    public void Dispose() => socket.Dispose();

    private async Task ReadExactlyAsync(byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, Stop);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            read += n;
        }
    }
}
