using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Pipeline;

/// <summary>
/// Where a source hands its points. The sink is bounded: when the pipeline is full,
/// <see cref="PublishAsync"/> waits (back-pressure), so a source slows down instead of the agent
/// growing without bound; the wait is counted as pipeline pressure.
/// </summary>
public interface IPointSink
{
    /// <summary>Publishes the points of one poll, in order.</summary>
    /// <remarks>
    /// The caller may reuse <paramref name="points"/> once the returned task completed (a poller
    /// fills the same array every poll): a sink copies what it keeps before it completes.
    /// </remarks>
    ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken);
}
