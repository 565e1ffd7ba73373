using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Pipeline;

/// <summary>
/// A stage that sees every point on its way from the pipeline to the outbox (rules, detectors,
/// model input buffers). Stages run in registration order on the batcher's single consuming
/// thread, so a stage sees points in pipeline order and never concurrently with itself, at most
/// 20 ms after their source published them (the batcher's stage latency bound, unless it is behind).
/// </summary>
/// <remarks>
/// <see cref="Process"/> must be quick and must not block or wait on I/O: it runs inside the data
/// path, and a slow stage is back-pressure for every source. Slow work (inference, device writes,
/// MQTT publishes) belongs on the stage's own bounded queue and loop. Derived points appended to
/// <c>derived</c> are stored in the same batch, right after the point that caused them, and are
/// shown to the stages registered after this one (never to this one or earlier ones, so a stage
/// cannot loop on its own output).
/// </remarks>
public interface IPointStage
{
    /// <summary>Sees one point; may append derived points (its own outputs) to <paramref name="derived"/>.</summary>
    void Process(in DataPoint point, List<DataPoint> derived);
}
