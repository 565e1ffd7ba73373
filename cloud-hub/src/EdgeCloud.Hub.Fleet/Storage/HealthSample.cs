namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>The counters of one AgentHealth report that a rollout's health gate compares (counters since the agent started).</summary>
/// <param name="OutboxBatches">Batches waiting in the agent's outbox.</param>
/// <param name="PollErrors">Poll errors since start.</param>
/// <param name="PointsProduced">Points produced since start.</param>
/// <param name="InferenceErrors">Failed inference runs since start.</param>
public sealed record HealthSample(ulong OutboxBatches, ulong PollErrors, ulong PointsProduced, ulong InferenceErrors);
