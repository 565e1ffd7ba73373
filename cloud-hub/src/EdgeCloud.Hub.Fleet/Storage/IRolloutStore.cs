namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>
/// Release keys, artifacts and campaigns, in the fleet store (SQLite <c>fleet.db</c> or PostgreSQL schema <c>fleet</c>). Everything a campaign needs to go on
/// lives here, not in memory, so a restarted hub (or another replica on a shared store) continues it.
/// Reads by id take the tenant, so nothing crosses tenants.
/// </summary>
public interface IRolloutStore
{
    /// <summary>Registers a key; false when the tenant has it already.</summary>
    Task<bool> AddReleaseKeyAsync(ReleaseKeyRecord key, CancellationToken cancellationToken);

    /// <summary>The tenant's release keys.</summary>
    Task<IReadOnlyList<ReleaseKeyRecord>> ListReleaseKeysAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Adds an artifact (its file is in place already).</summary>
    Task AddArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken);

    /// <summary>One artifact of the tenant, or null.</summary>
    Task<ArtifactRecord?> GetArtifactAsync(string tenant, string id, CancellationToken cancellationToken);

    /// <summary>The tenant's artifacts, newest first.</summary>
    Task<IReadOnlyList<ArtifactRecord>> ListArtifactsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Adds a campaign with its target agents, in one transaction.</summary>
    Task AddCampaignAsync(CampaignRecord campaign, IReadOnlyList<CampaignAgentRecord> agents, CancellationToken cancellationToken);

    /// <summary>One campaign of the tenant, or null.</summary>
    Task<CampaignRecord?> GetCampaignAsync(string tenant, string id, CancellationToken cancellationToken);

    /// <summary>The tenant's campaigns, newest first.</summary>
    Task<IReadOnlyList<CampaignRecord>> ListCampaignsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Every campaign in <paramref name="state"/>, of every tenant (the scheduler's work list).</summary>
    Task<IReadOnlyList<CampaignRecord>> ListCampaignsInStateAsync(string state, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a campaign from <paramref name="expectedState"/> to <paramref name="state"/> with the given stage, accepted failures and
    /// detail; false when it is not in <paramref name="expectedState"/> (or at <paramref name="expectedStage"/>) any more,
    /// so that two replicas never both promote or pause.
    /// </summary>
    Task<bool> UpdateCampaignAsync(
        string id, string expectedState, int expectedStage, string state, int stage, int acceptedFailures, string? detail, CancellationToken cancellationToken);

    /// <summary>The campaign's target agents, by stage and id.</summary>
    Task<IReadOnlyList<CampaignAgentRecord>> ListCampaignAgentsAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>The rows of <paramref name="agentId"/> in campaigns that are running or paused.</summary>
    Task<IReadOnlyList<CampaignAgentRecord>> ListActiveAssignmentsAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces an agent's row (matched by campaign and agent) when its state is still <paramref name="expectedState"/>
    /// (any state when null), and raises the campaign's revision; false when the state had moved on.
    /// </summary>
    Task<bool> UpdateCampaignAgentAsync(CampaignAgentRecord agent, string? expectedState, CancellationToken cancellationToken);
}
