namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>
/// Desired configs, config reports and commands (SQLite beside the rest of <c>fleet.db</c>, or PostgreSQL shared
/// by replicas). Every read takes the tenant, so nothing crosses tenants.
/// </summary>
public interface IFleetOperationsStore
{
    /// <summary>Stores the next version of a target's desired config and returns it with its version number.</summary>
    Task<SiteConfigRecord> AddSiteConfigAsync(SiteConfigRecord config, CancellationToken cancellationToken);

    /// <summary>The newest desired config of a target, or null.</summary>
    Task<SiteConfigRecord?> GetLatestSiteConfigAsync(string tenant, string targetKind, string target, CancellationToken cancellationToken);

    /// <summary>Records an agent's config report (replacing its previous one).</summary>
    Task SetConfigReportAsync(ConfigReportRecord report, CancellationToken cancellationToken);

    /// <summary>The agent's last config report, or null.</summary>
    Task<ConfigReportRecord?> GetConfigReportAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>Adds a command.</summary>
    Task AddCommandAsync(CommandRecord command, CancellationToken cancellationToken);

    /// <summary>A command of <paramref name="tenant"/>, or null.</summary>
    Task<CommandRecord?> GetCommandAsync(string tenant, string id, CancellationToken cancellationToken);

    /// <summary>The agent's commands in <paramref name="status"/>, oldest first.</summary>
    Task<IReadOnlyList<CommandRecord>> ListCommandsAsync(string agentId, string status, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a command to <paramref name="status"/> unless it already ended (succeeded, failed, timed-out) or,
    /// when <paramref name="agentId"/> is given, belongs to another agent; false then.
    /// </summary>
    Task<bool> UpdateCommandAsync(string id, string? agentId, string status, string? detail, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a queued command of <paramref name="agentId"/> to sent; false when it is not queued (any more). Of
    /// two replicas (or two paths of one) about to send the same command, exactly one gets true and sends it.
    /// </summary>
    Task<bool> ClaimCommandAsync(string id, string agentId, CancellationToken cancellationToken);
}
