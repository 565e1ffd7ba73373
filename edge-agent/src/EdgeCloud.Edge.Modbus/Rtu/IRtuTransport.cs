namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// The byte pipe under an <see cref="RtuMaster"/>: a serial port or a TCP socket to a serial
/// gateway. Not thread-safe; the master calls it from one request at a time. I/O failures surface
/// as <see cref="IOException"/> or <see cref="System.Net.Sockets.SocketException"/>.
/// </summary>
internal interface IRtuTransport : IAsyncDisposable
{
    /// <summary>What the transport talks to, for messages (a device path or host:port).</summary>
    string Endpoint { get; }

    /// <summary>True while open.</summary>
    bool IsOpen { get; }

    /// <summary>Silence that must precede every request (3.5 character times on a serial line, zero on TCP).</summary>
    TimeSpan InterFrameDelay { get; }

    /// <summary>
    /// Silence after which a frame that has begun but is not complete counts as cut short. Wider
    /// than 3.5 characters: USB serial adapters and serial gateways deliver bytes in bursts.
    /// </summary>
    TimeSpan IncompleteFrameGap { get; }

    /// <summary>Bytes received and not read yet.</summary>
    int BytesAvailable { get; }

    /// <summary>Opens the transport.</summary>
    ValueTask OpenAsync(CancellationToken cancellationToken);

    /// <summary>Writes all of <paramref name="frame"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>Reads at least one byte; 0 when the peer closed the link.</summary>
    ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>Closes the transport; <see cref="OpenAsync"/> may open it again.</summary>
    void Close();
}
