using System.Threading.Channels;
using EdgeCloud.Hub.Storage.Alarms;

namespace EdgeCloud.Hub.Ingest.Live;

/// <summary>One reader of the <see cref="AlarmEventFeed"/>: its bounded queue of events, oldest first.</summary>
public sealed class AlarmEventSubscription : IDisposable
{
    private readonly AlarmEventFeed _owner;
    private readonly Channel<StoredAlarmEvent> _queue;

    internal AlarmEventSubscription(AlarmEventFeed owner, int capacity, bool localOnly = false)
    {
        _owner = owner;
        LocalOnly = localOnly;
        _queue = Channel.CreateBounded<StoredAlarmEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The events; completes when the reader overflowed (see <see cref="Overflowed"/>).</summary>
    public ChannelReader<StoredAlarmEvent> Events => _queue.Reader;

    /// <summary>True once the queue was full when an event came: the reader fell behind and is dropped.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>True for the relay's reader: it sees only events this replica stored, never ones relayed from another (no echo).</summary>
    public bool LocalOnly { get; }

    /// <summary>Stops following.</summary>
    public void Dispose()
    {
        _owner.Unsubscribe(this);
        _queue.Writer.TryComplete();
    }

    /// <summary>Queues one event without waiting; false when the reader is (now) dropped.</summary>
    internal bool Offer(StoredAlarmEvent stored)
    {
        if (_queue.Writer.TryWrite(stored))
        {
            return true;
        }

        if (_queue.Writer.TryComplete())
        {
            Overflowed = true;
        }

        return false;
    }
}
