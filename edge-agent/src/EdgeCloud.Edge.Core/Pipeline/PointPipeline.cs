using System.Diagnostics.Metrics;
using System.Threading.Channels;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Pipeline;

/// <summary>
/// The bounded channel between the sources and the outbox. Overflow policy: <b>back-pressure</b>
/// (<see cref="BoundedChannelFullMode.Wait"/>): a source that finds it full waits, so its next
/// poll starts late instead of the agent's memory growing or points being dropped silently; every
/// such wait is counted in <c>edge_pipeline_backpressure_waits</c>.
/// </summary>
public sealed class PointPipeline : IPointSink
{
    /// <summary>Name of the pipeline's meter.</summary>
    public const string MeterName = "EdgeCloud.Edge.Pipeline";

    /// <summary>Default capacity in points.</summary>
    public const int DefaultCapacity = 65_536;

    private readonly Channel<DataPoint> _channel;
    private readonly Counter<long> _published;
    private readonly Counter<long> _waits;

    /// <summary>Creates the pipeline with room for <paramref name="capacity"/> points.</summary>
    public PointPipeline(IMeterFactory meters, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _channel = Channel.CreateBounded<DataPoint>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        var meter = meters.Create(MeterName);
        _published = meter.CreateCounter<long>("edge_pipeline_points_published", "{point}", "Points handed to the pipeline by sources");
        _waits = meter.CreateCounter<long>("edge_pipeline_backpressure_waits", "{wait}", "Times a source waited because the pipeline was full");
        meter.CreateObservableGauge("edge_pipeline_queued_points", () => _channel.Reader.Count, "{point}", "Points waiting in the pipeline");
    }

    /// <summary>The consuming side, read by the outbox's batcher only.</summary>
    public ChannelReader<DataPoint> Reader => _channel.Reader;

    /// <inheritdoc />
    public async ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        // By index: a foreach over the interface would allocate an enumerator per poll.
        for (var i = 0; i < points.Count; i++)
        {
            if (!_channel.Writer.TryWrite(points[i]))
            {
                _waits.Add(1);
                await _channel.Writer.WriteAsync(points[i], cancellationToken);
            }
        }

        _published.Add(points.Count);
    }

    /// <summary>No more points will come (shutdown): lets the batcher drain and finish.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
