using System.Diagnostics.Metrics;
using System.Text;
using System.Threading.Channels;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Hub.Storage.Replicas;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Ingest.Live.Relay;

/// <summary>
/// Live values and alarm events across replicas, on demand. A replica that serves a live stream (an agent's
/// values, or the alarm stream) announces its interest on the <see cref="IReplicaBus"/> and renews it every third
/// of <see cref="LiveRelayOptions.Lease"/>, releasing it when its last reader leaves. Every replica keeps the
/// other replicas' live leases; while one lives it reads its own <see cref="LatestValues"/> and
/// <see cref="AlarmEventFeed"/> with local-only readers (so relayed data never travels twice) and forwards what
/// changed, at most once per <see cref="LiveRelayOptions.ForwardInterval"/> per agent, split under the NOTIFY
/// limit; a replica that gains a new follower of an agent whose stream it holds first sends every value it has,
/// so the follower's browser starts from the present. Only the replica holding an agent's stream sees its
/// values change, so only it forwards. Messages are
/// hints as the bus allows (at-most-once): a lost one shows as a value that is late until the next change.
/// </summary>
public sealed partial class LiveRelay : BackgroundService
{
    /// <summary>The meter of the relay's counters.</summary>
    public const string MeterName = "EdgeCloud.Hub.LiveRelay";

    private readonly IReplicaBus _bus;
    private readonly LatestValues _latest;
    private readonly AlarmEventFeed _feed;
    private readonly ConnectionRegistry _connections;
    private readonly LiveRelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveRelay> _logger;
    private readonly object _gate = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // This replica's readers: (kind, agent) -> count; announcements to send (follow or release).
    private readonly Dictionary<(string Kind, string AgentId), int> _readers = [];
    private readonly Queue<(string Kind, string AgentId, bool Follow)> _announcements = new();

    // Other replicas' leases: (kind, agent) -> replica -> expiry; and the forwards they cause.
    private readonly Dictionary<(string Kind, string AgentId), Dictionary<string, DateTimeOffset>> _leases = [];
    private readonly Dictionary<string, LatestValueSubscription> _valueForwards = new(StringComparer.Ordinal);
    private readonly HashSet<string> _snapshotDue = new(StringComparer.Ordinal);
    private AlarmEventSubscription? _alarmForward;

    private long _forwardedMessages;
    private long _skippedPoints;

    internal LiveRelay(
        IReplicaBus bus,
        LatestValues latest,
        AlarmEventFeed feed,
        ConnectionRegistry connections,
        IOptions<LiveRelayOptions> options,
        TimeProvider time,
        ILogger<LiveRelay> logger,
        IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _bus = bus;
        _latest = latest;
        _feed = feed;
        _connections = connections;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("edgecloud.hub.live.relay.forwarded", () => ForwardedMessages, "{message}", "Live messages this replica forwarded to others");
        meter.CreateObservableGauge("edgecloud.hub.live.relay.forwarding", () => ForwardingCount, "{stream}", "Agents (and the alarm feed) this replica forwards now");
        meter.CreateObservableCounter("edgecloud.hub.live.relay.skipped_points", () => Interlocked.Read(ref _skippedPoints), "{point}", "Points too large for one replica message, not forwarded");
    }

    /// <summary>This replica's id on the relay, to ignore its own messages.</summary>
    public string ReplicaId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Messages forwarded to other replicas so far.</summary>
    public long ForwardedMessages => Interlocked.Read(ref _forwardedMessages);

    /// <summary>Forwards running now: one per agent whose values another replica wants, plus one for alarm events.</summary>
    public int ForwardingCount
    {
        get
        {
            lock (_gate)
            {
                return _valueForwards.Count + (_alarmForward is null ? 0 : 1);
            }
        }
    }

    /// <summary>Announces that a reader here follows <paramref name="agentId"/>'s values, until the result is disposed.</summary>
    public IDisposable FollowValues(string agentId) => Follow(LiveRelayMessages.ValuesKind, agentId);

    /// <summary>Announces that a reader here follows the alarm events (of any agent), until the result is disposed.</summary>
    public IDisposable FollowAlarms() => Follow(LiveRelayMessages.AlarmsKind, LiveRelayMessages.AnyAgent);

    public override void Dispose()
    {
        lock (_gate)
        {
            foreach (var forward in _valueForwards.Values)
            {
                forward.Dispose();
            }

            _valueForwards.Clear();
            _alarmForward?.Dispose();
            _alarmForward = null;
        }

        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var interests = _bus.Subscribe(LiveRelayMessages.InterestTopic, (payload, _) => OnInterest(payload));
        using var values = _bus.Subscribe(LiveRelayMessages.ValuesTopic, (payload, _) => OnValues(payload));
        using var alarms = _bus.Subscribe(LiveRelayMessages.AlarmsTopic, (payload, _) => OnAlarm(payload));

        // After missed messages, renew at once: the serving replica may have missed our interest.
        using var resumed = _bus.OnResumed(_ => Renew());
        var renewEvery = _options.Lease / 3;
        var nextRenew = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await AnnounceAsync(stoppingToken);
                var now = _time.GetUtcNow();
                if (now >= nextRenew)
                {
                    await RenewAsync(stoppingToken);
                    nextRenew = now + renewEvery;
                }

                await ForwardAsync(now, stoppingToken);
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                tick.CancelAfter(_options.ForwardInterval);
                await ((Task)_wake.Reader.WaitToReadAsync(tick.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database briefly away: live values are hints, the next round tries again.
                LogRoundFailed(_logger, ex);
                await Task.Delay(_options.ForwardInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private Reader Follow(string kind, string agentId)
    {
        lock (_gate)
        {
            var key = (kind, agentId);
            var count = _readers.GetValueOrDefault(key);
            _readers[key] = count + 1;
            if (count == 0)
            {
                _announcements.Enqueue((kind, agentId, true));
            }
        }

        _wake.Writer.TryWrite(true);
        return new Reader(this, kind, agentId);
    }

    private void Unfollow(string kind, string agentId)
    {
        lock (_gate)
        {
            var key = (kind, agentId);
            if (!_readers.TryGetValue(key, out var count))
            {
                return;
            }

            if (count > 1)
            {
                _readers[key] = count - 1;
                return;
            }

            _readers.Remove(key);
            _announcements.Enqueue((kind, agentId, false));
        }

        _wake.Writer.TryWrite(true);
    }

    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            (string Kind, string AgentId, bool Follow) next;
            lock (_gate)
            {
                if (!_announcements.TryDequeue(out next))
                {
                    return;
                }
            }

            await _bus.PublishAsync(LiveRelayMessages.InterestTopic, LiveRelayMessages.Interest(ReplicaId, next.Kind, next.AgentId, next.Follow), cancellationToken);
        }
    }

    private ValueTask Renew()
    {
        lock (_gate)
        {
            foreach (var (kind, agentId) in _readers.Keys)
            {
                _announcements.Enqueue((kind, agentId, true));
            }
        }

        _wake.Writer.TryWrite(true);
        return ValueTask.CompletedTask;
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        await Renew();
        await AnnounceAsync(cancellationToken);
    }

    /// <summary>Drops expired leases, matches the forwards to the live ones, and sends what changed.</summary>
    private async Task ForwardAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<(string AgentId, List<LatestValue> Values)> changed = [];
        List<StoredAlarmEvent> events = [];
        lock (_gate)
        {
            foreach (var (key, holders) in _leases.ToList())
            {
                foreach (var replica in holders.Where(h => h.Value <= now).Select(h => h.Key).ToList())
                {
                    holders.Remove(replica);
                }

                if (holders.Count == 0)
                {
                    _leases.Remove(key);
                }
            }

            foreach (var agentId in _valueForwards.Keys.Where(a => !_leases.ContainsKey((LiveRelayMessages.ValuesKind, a))).ToList())
            {
                _valueForwards.Remove(agentId, out var forward);
                forward!.Dispose();
                LogForwardStopped(_logger, agentId);
            }

            foreach (var agentId in _leases.Keys.Where(k => k.Kind == LiveRelayMessages.ValuesKind && !_valueForwards.ContainsKey(k.AgentId)).Select(k => k.AgentId).ToList())
            {
                _valueForwards[agentId] = _latest.Subscribe(agentId, _options.MaxPendingTags, localOnly: true);
                LogForwardStarted(_logger, agentId);
            }

            var alarmsWanted = _leases.ContainsKey((LiveRelayMessages.AlarmsKind, LiveRelayMessages.AnyAgent));
            if (alarmsWanted && _alarmForward is null)
            {
                _alarmForward = _feed.Subscribe(_options.MaxPendingTags, localOnly: true);
            }
            else if (!alarmsWanted && _alarmForward is not null)
            {
                _alarmForward.Dispose();
                _alarmForward = null;
            }

            foreach (var (agentId, forward) in _valueForwards)
            {
                var values = forward.TakeChanges([]);

                // A new follower starts from every value, not only the next change; only the stream's holder has them all.
                if (_snapshotDue.Contains(agentId) && _connections.Find(agentId) is not null)
                {
                    values = [.. _latest.Get(agentId)];
                }

                if (values.Count > 0)
                {
                    changed.Add((agentId, values));
                }
            }

            _snapshotDue.Clear();
            if (_alarmForward is not null)
            {
                while (_alarmForward.Events.TryRead(out var stored))
                {
                    events.Add(stored);
                }

                if (_alarmForward.Events.Completion.IsCompleted)
                {
                    // Overflowed (this loop fell far behind): start a fresh reader; the missed events are in storage.
                    _alarmForward.Dispose();
                    _alarmForward = null;
                }
            }
        }

        foreach (var (agentId, values) in changed)
        {
            var messages = LiveRelayMessages.Values(ReplicaId, agentId, values, out var skipped);
            Interlocked.Add(ref _skippedPoints, skipped);
            foreach (var message in messages)
            {
                await PublishAsync(LiveRelayMessages.ValuesTopic, message, cancellationToken);
            }
        }

        foreach (var stored in events)
        {
            var message = LiveRelayMessages.Alarm(ReplicaId, stored);
            if (Encoding.UTF8.GetByteCount(message) <= LiveRelayMessages.MaxValuesPayloadBytes)
            {
                await PublishAsync(LiveRelayMessages.AlarmsTopic, message, cancellationToken);
            }
        }
    }

    private async Task PublishAsync(string topic, string message, CancellationToken cancellationToken)
    {
        await _bus.PublishAsync(topic, message, cancellationToken);
        Interlocked.Increment(ref _forwardedMessages);
    }

    private ValueTask OnInterest(string payload)
    {
        if (!LiveRelayMessages.TryReadInterest(payload, out var interest) || interest.Replica == ReplicaId)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            var key = (interest.Kind, interest.AgentId);
            if (interest.Follow)
            {
                if (!_leases.TryGetValue(key, out var holders))
                {
                    _leases[key] = holders = new(StringComparer.Ordinal);
                }

                if (!holders.TryGetValue(interest.Replica, out var expires) || expires <= _time.GetUtcNow())
                {
                    _snapshotDue.Add(interest.AgentId);
                }

                holders[interest.Replica] = _time.GetUtcNow() + _options.Lease;
            }
            else if (_leases.TryGetValue(key, out var holders))
            {
                // Released: expire at the next round rather than here, so one code path drops forwards.
                holders[interest.Replica] = DateTimeOffset.MinValue;
            }
        }

        _wake.Writer.TryWrite(true);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnValues(string payload)
    {
        if (LiveRelayMessages.TryReadValues(payload, out var replica, out var agentId, out var points) && replica != ReplicaId && IsFollowed(LiveRelayMessages.ValuesKind, agentId))
        {
            _latest.ApplyRelayed(agentId, points.Where(p => p.Stored).Select(p => p.Point), stored: true);
            _latest.ApplyRelayed(agentId, points.Where(p => !p.Stored).Select(p => p.Point), stored: false);
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask OnAlarm(string payload)
    {
        if (LiveRelayMessages.TryReadAlarm(payload, out var replica, out var stored) && replica != ReplicaId && IsFollowed(LiveRelayMessages.AlarmsKind, LiveRelayMessages.AnyAgent))
        {
            _feed.PublishRelayed([stored!]);
        }

        return ValueTask.CompletedTask;
    }

    private bool IsFollowed(string kind, string agentId)
    {
        lock (_gate)
        {
            return _readers.ContainsKey((kind, agentId));
        }
    }

    [LoggerMessage(EventId = 7300, Level = LogLevel.Debug, Message = "Forwarding agent {AgentId}'s live values to other replicas")]
    private static partial void LogForwardStarted(ILogger logger, string agentId);

    [LoggerMessage(EventId = 7301, Level = LogLevel.Debug, Message = "No replica follows agent {AgentId}'s live values any more; forwarding stopped")]
    private static partial void LogForwardStopped(ILogger logger, string agentId);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "A live relay round failed; trying again shortly")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    /// <summary>One reader's interest; disposing it twice releases once.</summary>
    private sealed class Reader(LiveRelay relay, string kind, string agentId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                relay.Unfollow(kind, agentId);
            }
        }
    }
}
