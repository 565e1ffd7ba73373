using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Ingest.Live;

/// <summary>The newest known point of one tag, and whether it is stored yet.</summary>
/// <param name="Point">The point as the agent sent it.</param>
/// <param name="Stored">True once it arrived in a stored batch; false while only the live lane brought it.</param>
public sealed record LatestValue(Point Point, bool Stored);
