using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Edge.Sync.Directives;

/// <summary>
/// Takes a <see cref="RolloutDirective"/> from the hub (docs/rollouts.md). Implemented by the update component;
/// it must return quickly (the download and install run on its own loop) and reports every step through
/// <see cref="RolloutReports"/>. Never throws for a refused directive: a refusal is a report with a reason.
/// </summary>
public interface IRolloutHandler
{
    /// <summary>Accepts the directive (or answers it at once when it was already carried out).</summary>
    Task AcceptAsync(RolloutDirective directive, CancellationToken cancellationToken);
}
