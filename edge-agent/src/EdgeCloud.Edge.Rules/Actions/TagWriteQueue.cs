using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace EdgeCloud.Edge.Rules.Actions;

/// <summary>
/// The bounded queue between rule actions (on the pipeline thread) and the device writer loop.
/// Overflow policy: <b>refuse the newest</b>, counted in <c>edge_rule_writes_dropped</c>: a device
/// that cannot keep up must not make the data path wait, and the oldest queued write is the one
/// the rule asked for first.
/// </summary>
internal sealed class TagWriteQueue
{
    /// <summary>Writes queued at most.</summary>
    public const int Capacity = 256;

    private readonly Channel<TagWriteRequest> _channel = Channel.CreateBounded<TagWriteRequest>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly Counter<long> _dropped;

    public TagWriteQueue(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(RulesMetrics.MeterName);
        _dropped = meter.CreateCounter<long>("edge_rule_writes_dropped", "{write}", "Rule writes refused because the write queue was full");
        meter.CreateObservableGauge("edge_rule_writes_queued", () => _channel.Reader.Count, "{write}", "Rule writes waiting");
    }

    public ChannelReader<TagWriteRequest> Reader => _channel.Reader;

    /// <summary>Queues a write without waiting; false (and counted) when the queue is full.</summary>
    public bool TryEnqueue(TagWriteRequest request)
    {
        if (_channel.Writer.TryWrite(request))
        {
            return true;
        }

        _dropped.Add(1);
        return false;
    }
}
