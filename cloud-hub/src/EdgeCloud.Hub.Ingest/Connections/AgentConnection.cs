using System.Threading.Channels;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>
/// One open agent stream in the <see cref="ConnectionRegistry"/>. <see cref="Token"/> is cancelled when the
/// call is aborted or a newer stream of the same agent replaces this one (<see cref="IsSuperseded"/>).
/// Thread-safe: the stream's handler updates it while the API reads snapshots.
/// </summary>
internal sealed class AgentConnection : IDisposable
{
    private readonly ConnectionRegistry _registry;
    private readonly CancellationTokenSource _cancellation;
    private readonly Lock _gate = new();
    private long _lastSeenTicks;
    private volatile AgentHealth? _health;
    private volatile bool _superseded;
    private volatile string? _refusal;
    private bool _disposed;

    public AgentConnection(
        ConnectionRegistry registry, string agentId, string agentVersion, string peer, DateTimeOffset connectedAt, string? replacedPeer, CancellationToken callAborted)
    {
        _registry = registry;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(callAborted);
        AgentId = agentId;
        AgentVersion = agentVersion;
        Peer = peer;
        ConnectedAt = connectedAt;
        ReplacedPeer = replacedPeer;
        _lastSeenTicks = connectedAt.UtcTicks;
    }

    public string AgentId { get; }

    /// <summary>Commands and desired config waiting to be written to this stream; bounded, a full queue refuses (TrySend false).</summary>
    public Channel<HubMessage> Outbound { get; } = Channel.CreateBounded<HubMessage>(new BoundedChannelOptions(64) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public string AgentVersion { get; }

    public string Peer { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The peer of the older stream this one replaced, or null.</summary>
    public string? ReplacedPeer { get; }

    public CancellationToken Token => _cancellation.Token;

    public bool IsSuperseded => _superseded;

    /// <summary>Why the hub ended this stream from outside (revocation), or null.</summary>
    public string? Refusal => _refusal;

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    public AgentHealth? Health
    {
        get => _health;
        set => _health = value;
    }

    /// <summary>Records that a message arrived at <paramref name="now"/>.</summary>
    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);

    public AgentPresence ToPresence() => new(AgentId, AgentVersion, Peer, ConnectedAt, LastSeen, _health);

    /// <summary>Ends this stream because a newer one of the same agent took its place.</summary>
    public void Supersede()
    {
        _superseded = true;
        lock (_gate)
        {
            if (!_disposed)
            {
                _cancellation.Cancel();
            }
        }
    }

    /// <summary>Ends this stream with a non-retryable refusal (the agent was revoked).</summary>
    public void Refuse(string reason)
    {
        _refusal = reason;
        lock (_gate)
        {
            if (!_disposed)
            {
                _cancellation.Cancel();
            }
        }
    }

    public void Dispose()
    {
        _registry.Close(this);
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _cancellation.Dispose();
            }
        }
    }
}
