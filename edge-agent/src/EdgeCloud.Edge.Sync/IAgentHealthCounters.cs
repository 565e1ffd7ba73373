namespace EdgeCloud.Edge.Sync;

/// <summary>
/// The counters a rollout's health gate compares against its baseline (<c>AgentHealth</c>): all since the
/// agent started. The agent fills them from its metrics; without one registered they read zero.
/// </summary>
public interface IAgentHealthCounters
{
    /// <summary>Points the pipeline produced.</summary>
    ulong PointsProduced { get; }

    /// <summary>Failed device polls.</summary>
    ulong PollErrors { get; }

    /// <summary>Failed ONNX inference runs.</summary>
    ulong InferenceErrors { get; }
}
