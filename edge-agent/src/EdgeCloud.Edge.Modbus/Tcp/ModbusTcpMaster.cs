using System.Net.Sockets;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Tcp;

/// <summary>
/// Modbus TCP master over one socket (TCP_NODELAY, keep-alive). Invariants:
/// <list type="bullet">
/// <item>one request at a time: callers queue on a semaphore (bounded by the callers themselves, no internal queue);</item>
/// <item>every request gets a new transaction id; a reply with another id (a late reply to a timed-out
/// request) is discarded, never attributed to the current request;</item>
/// <item>a malformed frame or a transport error closes the socket before the exception surfaces,
/// and the next call reconnects;</item>
/// <item>a timeout keeps the socket (the late reply is skipped by its transaction id), except after
/// <see cref="MaxConsecutiveTimeouts"/> timeouts in a row, when the peer is taken as wedged and the
/// socket is closed.</item>
/// </list>
/// </summary>
internal sealed partial class ModbusTcpMaster : IModbusMaster
{
    /// <summary>Timeouts in a row after which the connection is dropped and remade.</summary>
    public const int MaxConsecutiveTimeouts = 3;

    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The requests' timeout source, reused while no request timed out (under the gate).
    private CancellationTokenSource? _timeoutSource;

    // MBAP header plus the largest PDU; replies are assembled in _receive across calls, so a
    // reply cut by a timeout is completed (and discarded) by the next call instead of desyncing.
    private readonly byte[] _send = new byte[MbapHeader.Size + ModbusPdu.MaxLength];
    private readonly byte[] _receive = new byte[2 * (MbapHeader.Size + ModbusPdu.MaxLength)];
    private int _received;

    private Socket? _socket;
    private ushort _transactionId;
    private int _consecutiveTimeouts;
    private long _lateReplies;
    private bool _disposed;

    /// <summary>Creates a master for <paramref name="host"/>:<paramref name="port"/>; it connects on first use.</summary>
    /// <param name="host">Host name or IP address.</param>
    /// <param name="port">TCP port (502 for Modbus).</param>
    /// <param name="timeout">Per request (and per connect) timeout.</param>
    /// <param name="time">Clock for the timeouts; <see cref="TimeProvider.System"/> when null.</param>
    public ModbusTcpMaster(string host, int port, TimeSpan timeout, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _host = host;
        _port = port;
        _timeout = timeout;
        _time = time ?? TimeProvider.System;
    }

    /// <summary><c>host:port</c>, for messages.</summary>
    public string Endpoint => $"{_host}:{_port}";

    /// <inheritdoc />
    public bool IsConnected => Volatile.Read(ref _socket) is not null;

    /// <summary>Replies discarded because their transaction id was not the outstanding one.</summary>
    public long LateRepliesDiscarded => Interlocked.Read(ref _lateReplies);

    /// <inheritdoc />
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await EnsureConnectedAsync(linked.Token, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the connection; calls after this throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // Waits for a request in flight (bounded by its timeout) so its socket is not pulled away mid-use.
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            Close();
            _timeoutSource?.Dispose();
            _timeoutSource = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Close()
    {
        var socket = Interlocked.Exchange(ref _socket, null);
        socket?.Dispose();
        _received = 0;
        _consecutiveTimeouts = 0;
    }
}
