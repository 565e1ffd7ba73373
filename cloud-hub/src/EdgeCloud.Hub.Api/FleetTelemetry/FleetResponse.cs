namespace EdgeCloud.Hub.Api.FleetTelemetry;

/// <summary>
/// The answer to a fleet query. <see cref="Truncated"/>: the row limit (agent buckets) cut off later buckets;
/// ask again with a later <c>from</c> or a coarser resolution.
/// </summary>
internal sealed record FleetResponse(string Tag, string From, string To, string Resolution, string GroupBy, bool Truncated, IReadOnlyList<FleetGroupView> Groups);
