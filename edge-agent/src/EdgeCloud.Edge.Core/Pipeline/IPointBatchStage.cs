using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Pipeline;

/// <summary>
/// A stage that derives nothing and may see a run of points at once (the live lane, which takes its
/// lock once per run instead of once per point). The batcher calls <see cref="ProcessRun"/> for
/// the batch stages at the end of the stage list, with each run of points in pipeline order after
/// the stages before them saw it (derived points included, right after their source); a batch
/// stage followed by a per-point stage is called per point through <see cref="IPointStage.Process"/>.
/// Both entry points must do the same thing.
/// </summary>
public interface IPointBatchStage : IPointStage
{
    /// <summary>Sees <paramref name="points"/>, in order; the span is valid only during the call.</summary>
    void ProcessRun(ReadOnlySpan<DataPoint> points);
}
