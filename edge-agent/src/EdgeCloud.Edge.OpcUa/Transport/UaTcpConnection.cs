using System.Globalization;
using System.Net.Sockets;

namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>
/// One UA TCP connection (OPC 10000-6 §7.1): Hello/Acknowledge, then whole chunks in and out.
/// Invariants: a chunk is read only after its header passed <see cref="UaFrameCodec"/>; sends
/// are serialised by the caller (the secure channel holds the send lock); the negotiated limits
/// are the smaller of ours and the server's.
/// </summary>
internal sealed class UaTcpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[UaFrameCodec.HeaderSize];

    private UaTcpConnection(Socket socket, Stream stream, TransportLimits local)
    {
        _socket = socket;
        _stream = stream;
        Local = local;
        Remote = local;
    }

    /// <summary>What we accept.</summary>
    public TransportLimits Local { get; }

    /// <summary>What the server accepts (after <see cref="ConnectAsync"/>).</summary>
    public TransportLimits Remote { get; private set; }

    /// <summary>Connects to <paramref name="endpoint"/> and exchanges Hello/Acknowledge.</summary>
    public static async Task<UaTcpConnection> ConnectAsync(UaEndpointUrl endpoint, TransportLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(limits);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new UaStatusException(StatusCodes.BadNotConnected, $"cannot connect to {endpoint}: {ex.Message}", ex);
        }

        var connection = new UaTcpConnection(socket, new NetworkStream(socket, ownsSocket: true), limits);
        try
        {
            await connection.HelloAsync(endpoint.Url, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task HelloAsync(string url, CancellationToken cancellationToken)
    {
        var hello = new UaBinaryWriter(64 + url.Length);
        UaFrameCodec.WriteHeader(hello, UaTcpMessageType.Hello, UaTcpMessageType.Final);
        hello.WriteUInt32(0); // protocol version
        hello.WriteUInt32(Local.ReceiveBufferSize);
        hello.WriteUInt32(Local.SendBufferSize);
        hello.WriteUInt32(Local.MaxMessageSize);
        hello.WriteUInt32(Local.MaxChunkCount);
        hello.WriteString(url);
        hello.PatchUInt32(4, (uint)hello.Length);
        await WriteAsync(hello.ToArray(), cancellationToken).ConfigureAwait(false);

        var frame = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        var reader = new UaBinaryReader(frame.Bytes, UaFrameCodec.HeaderSize, frame.Bytes.Length - UaFrameCodec.HeaderSize);
        if (frame.MessageType == UaTcpMessageType.Error)
        {
            throw ReadError(reader, "the server refused the connection");
        }

        if (frame.MessageType != UaTcpMessageType.Acknowledge)
        {
            throw new UaDecodeException(StatusCodes.BadTcpMessageTypeInvalid, $"expected ACK after HEL, got {UaTcpMessageType.Name(frame.MessageType)}");
        }

        reader.ReadUInt32(); // server protocol version
        var serverReceive = reader.ReadUInt32();
        var serverSend = reader.ReadUInt32();
        var serverMaxMessage = reader.ReadUInt32();
        var serverMaxChunks = reader.ReadUInt32();
        if (serverReceive < 8192 || serverSend < 8192)
        {
            throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"the server's buffer sizes ({serverReceive}/{serverSend}) are below the 8192 bytes the spec requires"));
        }

        // We send chunks no larger than the server receives; we read chunks up to the smaller of our buffer and its send buffer.
        Remote = new TransportLimits
        {
            ReceiveBufferSize = Math.Min(serverReceive, Local.SendBufferSize),
            SendBufferSize = Math.Min(serverSend, Local.ReceiveBufferSize),
            MaxMessageSize = serverMaxMessage,
            MaxChunkCount = serverMaxChunks,
        };
    }

    /// <summary>Decodes an ERR body (error code, reason) into an exception.</summary>
    public static UaStatusException ReadError(UaBinaryReader reader, string what)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var code = reader.ReadUInt32();
        var reason = reader.ReadString();
        return new UaStatusException(code, string.IsNullOrEmpty(reason) ? what : $"{what}: {reason}");
    }

    /// <summary>Reads one whole chunk; the header is validated before the body is allocated.</summary>
    public async Task<UaFrame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(_header, cancellationToken).ConfigureAwait(false);
            var size = UaFrameCodec.ValidateHeader(_header, Local.ReceiveBufferSize, out var type, out var chunk);
            var bytes = new byte[size];
            _header.CopyTo(bytes, 0);
            await _stream.ReadExactlyAsync(bytes.AsMemory(UaFrameCodec.HeaderSize), cancellationToken).ConfigureAwait(false);
            return new UaFrame(type, chunk, bytes);
        }
        catch (EndOfStreamException ex)
        {
            throw new UaStatusException(StatusCodes.BadConnectionClosed, "the server closed the connection", ex);
        }
        catch (IOException ex)
        {
            throw new UaStatusException(StatusCodes.BadConnectionClosed, $"the connection failed: {ex.Message}", ex);
        }
    }

    /// <summary>Writes one chunk (or several back to back). Callers serialise writes.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new UaStatusException(StatusCodes.BadConnectionClosed, $"the connection failed: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut down.
        }
        catch (ObjectDisposedException)
        {
            // Disposed twice.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
