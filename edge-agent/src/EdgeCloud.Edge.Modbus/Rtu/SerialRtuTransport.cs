using System.IO.Ports;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// An <see cref="IRtuTransport"/> over a serial port (System.IO.Ports), raw, no handshake. Reads
/// and writes go through the port's stream, whose async calls honour cancellation on Linux.
/// </summary>
internal sealed class SerialRtuTransport(RtuSerialSettings settings) : IRtuTransport
{
    // A frame that stalls longer than this is cut short. Far above 3.5 characters because USB
    // adapters hold received bytes up to their latency timer (16 ms by default on FTDI chips).
    private static readonly TimeSpan MinIncompleteFrameGap = TimeSpan.FromMilliseconds(50);

    private SerialPort? _port;
    private Stream? _stream;

    /// <inheritdoc />
    public string Endpoint => settings.PortName;

    /// <inheritdoc />
    public bool IsOpen => _port is not null;

    /// <inheritdoc />
    public TimeSpan InterFrameDelay => settings.InterFrameDelay;

    /// <inheritdoc />
    public TimeSpan IncompleteFrameGap =>
        settings.CharacterTime * 8 > MinIncompleteFrameGap ? settings.CharacterTime * 8 : MinIncompleteFrameGap;

    /// <inheritdoc />
    public int BytesAvailable => _port?.BytesToRead ?? 0;

    /// <inheritdoc />
    public ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        if (_port is not null)
        {
            return ValueTask.CompletedTask;
        }

        var port = new SerialPort(settings.PortName, settings.BaudRate, settings.Parity, settings.DataBits, settings.StopBits)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = SerialPort.InfiniteTimeout,
        };
        try
        {
            port.Open();
            port.DiscardInBuffer();
        }
        catch
        {
            port.Dispose();
            throw;
        }

        _port = port;
        _stream = port.BaseStream;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        Stream.WriteAsync(frame, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
        Stream.ReadAsync(destination, cancellationToken);

    /// <inheritdoc />
    public void Close()
    {
        var port = _port;
        _port = null;
        _stream = null;
        port?.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private Stream Stream => _stream ?? throw new IOException($"serial port {settings.PortName} is not open");
}
