namespace EdgeCloud.Hub.Api.FleetTelemetry;

/// <summary>One group (an agent, or a label value) with the agents in it and its buckets in time order.</summary>
internal sealed record FleetGroupView(string Key, IReadOnlyList<string> Agents, IReadOnlyList<FleetBucketView> Buckets);
