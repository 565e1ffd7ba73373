using System.Threading.Channels;

namespace EdgeCloud.Hub.Ingest.Live;

/// <summary>
/// One reader's view of an agent's changing values, coalesced by tag: between two reads a tag that changed
/// ten times is handed over once, with its newest value. What waits is bounded by <see cref="Capacity"/>
/// distinct tags; a reader that lets more pile up is marked <see cref="Overflowed"/> and gets nothing more
/// (it is dropped and may start again from a snapshot). Ingest only ever takes a short lock here: it never
/// waits for a reader.
/// </summary>
public sealed class LatestValueSubscription : IDisposable
{
    private readonly object _gate = new();
    private readonly LatestValues _owner;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private Dictionary<string, LatestValue> _pending = new(StringComparer.Ordinal);
    private Dictionary<string, LatestValue> _spare = new(StringComparer.Ordinal);

    internal LatestValueSubscription(LatestValues owner, string agentId, int capacity, bool localOnly = false)
    {
        _owner = owner;
        AgentId = agentId;
        Capacity = capacity;
        LocalOnly = localOnly;
    }

    /// <summary>True for the relay's reader: it sees only values this replica ingested, never ones relayed from another (no echo).</summary>
    public bool LocalOnly { get; }

    /// <summary>The agent whose values this reader follows.</summary>
    public string AgentId { get; }

    /// <summary>Distinct tags that may wait for the reader at most.</summary>
    public int Capacity { get; }

    /// <summary>True once more than <see cref="Capacity"/> tags waited: the reader fell behind and is dropped.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Waits until something changed (or the reader overflowed); false when cancelled.</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _signal.Reader.ReadAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The values changed since the last call, ordered by tag, and clears them; empty when nothing changed.
    /// The list is only valid until the next call (its storage is reused).
    /// </summary>
    public List<LatestValue> TakeChanges(List<LatestValue> into)
    {
        into.Clear();
        Dictionary<string, LatestValue> taken;
        lock (_gate)
        {
            taken = _pending;
            _pending = _spare;
            _spare = taken;
        }

        into.AddRange(taken.Values);
        taken.Clear();
        into.Sort(static (a, b) => string.CompareOrdinal(a.Point.Tag, b.Point.Tag));
        return into;
    }

    /// <summary>Stops following; ingest forgets this reader.</summary>
    public void Dispose() => _owner.Unsubscribe(this);

    internal void Offer(LatestValue value)
    {
        lock (_gate)
        {
            if (Overflowed)
            {
                return;
            }

            if (_pending.Count >= Capacity && !_pending.ContainsKey(value.Point.Tag))
            {
                Overflowed = true;
                _pending.Clear();
            }
            else
            {
                _pending[value.Point.Tag] = value;
            }
        }

        _signal.Writer.TryWrite(true);
    }
}
