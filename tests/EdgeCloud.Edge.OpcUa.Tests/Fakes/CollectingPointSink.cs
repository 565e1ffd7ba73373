using System.Collections.Concurrent;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.OpcUa.Tests.Fakes;

/// <summary>A point sink that keeps every point in arrival order (the pipeline's batcher stands behind the real one).</summary>
public sealed class CollectingPointSink : IPointSink
{
    public ConcurrentQueue<DataPoint> Points { get; } = new();

    public ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
    {
        foreach (var point in points)
        {
            Points.Enqueue(point);
        }

        return ValueTask.CompletedTask;
    }
}
