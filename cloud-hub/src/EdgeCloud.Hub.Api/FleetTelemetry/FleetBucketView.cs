namespace EdgeCloud.Hub.Api.FleetTelemetry;

/// <summary>
/// One bucket of a group: how many of its agents reported, the merged count/min/max/sum of their points, the
/// average over all those points, and <see cref="Total"/>, the sum of each agent's own average (for example the
/// total power of a site when each agent meters one feeder).
/// </summary>
internal sealed record FleetBucketView(string T, int Agents, long Count, double Min, double Max, double Avg, double Sum, double Total);
