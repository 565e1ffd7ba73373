namespace EdgeCloud.Edge.Sync.Directives;

/// <summary>How a hub command ended, and what to do once its result reached the hub.</summary>
/// <param name="Success">True when the command did what it was asked.</param>
/// <param name="Detail">What happened, for the operator.</param>
/// <param name="AfterReported">Run after the result was written to the hub (a restart stops the agent only then); may be null.</param>
public sealed record HubCommandOutcome(bool Success, string Detail, Action? AfterReported = null);
