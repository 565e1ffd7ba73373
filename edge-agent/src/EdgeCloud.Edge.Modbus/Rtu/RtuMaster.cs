using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// Modbus RTU master over one <see cref="IRtuTransport"/> (a serial bus, or RTU framing on a TCP
/// socket). Invariants:
/// <list type="bullet">
/// <item>one request at a time: callers queue on a semaphore in arrival order, so the devices of a bus take turns;</item>
/// <item>every request is preceded by the inter-frame silence, and whatever arrived since the last
/// reply (a late reply to a timed-out request, noise) is discarded unread before it is sent;</item>
/// <item>a reply is used only when unit id, function, byte count and CRC-16 all match; otherwise
/// the line is resynchronised (silence awaited, input discarded) and
/// <see cref="ModbusCorruptFrameException"/> is thrown; the link stays open;</item>
/// <item>an I/O failure closes the transport before <see cref="ModbusTransportException"/> surfaces; the next call reopens it.</item>
/// </list>
/// </summary>
/// <remarks>
/// RTU has no transaction id. A late reply is recognised by its shape or by timing: after a
/// timeout, a request of the same unit, function and quantity waits until the line has been
/// silent for twice that timeout (at least a frame gap) and discards whatever arrived; other
/// requests reject a late reply by its unit, function or byte count. A slave that answers later
/// than three times its timeout, to a request of the same shape, cannot be told from the real
/// reply by any RTU master; per-device timeouts above the slave's worst response time are the
/// installer's defence.
/// </remarks>
internal sealed partial class RtuMaster : IModbusMaster
{
    // How often the line is checked while waiting for silence.
    private static readonly TimeSpan QuietPollSlice = TimeSpan.FromMilliseconds(2);

    private readonly IRtuTransport _transport;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _send = new byte[RtuFrame.MaxLength];
    private readonly byte[] _receive = new byte[2 * RtuFrame.MaxLength];

    private long _lastActivity;
    private TimeSpan _lateReplyGuard;
    private (byte Unit, ModbusFunctionCode Function, int Quantity) _lateReplyShape;
    private long _crcErrors;
    private long _truncatedFrames;
    private long _unexpectedFrames;
    private long _staleBytes;
    private bool _disposed;

    /// <summary>Creates a master; the transport is opened on first use and owned by the master.</summary>
    /// <param name="transport">The byte pipe.</param>
    /// <param name="timeout">Default per-request timeout (a bus passes each device's own).</param>
    /// <param name="time">Clock for timeouts and line timing; <see cref="TimeProvider.System"/> when null.</param>
    public RtuMaster(IRtuTransport transport, TimeSpan timeout, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _transport = transport;
        _timeout = timeout;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The serial device path or host:port.</summary>
    public string Endpoint => _transport.Endpoint;

    /// <inheritdoc />
    public bool IsConnected => _transport.IsOpen;

    /// <summary>Replies rejected for a bad CRC.</summary>
    public long CrcErrors => Interlocked.Read(ref _crcErrors);

    /// <summary>Replies cut short (the line fell silent mid-frame).</summary>
    public long TruncatedFrames => Interlocked.Read(ref _truncatedFrames);

    /// <summary>Replies from another unit, with another function or a wrong byte count.</summary>
    public long UnexpectedFrames => Interlocked.Read(ref _unexpectedFrames);

    /// <summary>Bytes discarded unread before a request (late replies, noise).</summary>
    public long StaleBytesDiscarded => Interlocked.Read(ref _staleBytes);

    /// <inheritdoc />
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await EnsureOpenAsync(linked.Token, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask ExecuteAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken) =>
        ExecuteAsync(unitId, request, _timeout, cancellationToken);

    /// <summary>Closes the transport; calls after this throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // Waits for a request in flight (bounded by its timeout) so its port is not pulled away mid-use.
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            await _transport.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask EnsureOpenAsync(CancellationToken linked, CancellationToken caller)
    {
        if (_transport.IsOpen)
        {
            return;
        }

        try
        {
            await _transport.OpenAsync(linked);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            _transport.Close();
            throw new ModbusTransportException($"opening {Endpoint} timed out", null, whileConnecting: true);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModbusTransportException($"cannot open {Endpoint}: permission denied (is the agent's user in group dialout?)", ex, whileConnecting: true);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ArgumentException or InvalidOperationException)
        {
            _transport.Close();
            throw new ModbusTransportException($"cannot open {Endpoint}: {ex.Message}", ex, whileConnecting: true);
        }

        _lastActivity = _time.GetTimestamp();
    }
}
