namespace EdgeCloud.Edge.Sync.Directives;

/// <summary>
/// Carries out one kind of hub command (<c>write-tag</c>, <c>restart</c>, <c>diagnostics</c>). Registered in
/// the agent's container; the sync link finds it by <see cref="Kind"/>. Never throws for a failed command:
/// failures are outcomes with a reason. The token fires at the command's deadline or when the link ends.
/// </summary>
public interface IHubCommandHandler
{
    /// <summary>The command kind this handler serves.</summary>
    string Kind { get; }

    /// <summary>Runs the command with its arguments.</summary>
    Task<HubCommandOutcome> ExecuteAsync(IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken);
}
