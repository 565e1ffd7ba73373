using System.Text.Json;
using Npgsql;

namespace EdgeCloud.Hub.Fleet.Storage.Postgres;

/// <summary>
/// Release keys, artifacts, campaigns and their agents, shared by every replica. The scheduler's steps are conditional
/// UPDATEs (campaign state and stage, agent state) that exactly one replica wins, so two never both promote or pause.
/// </summary>
internal sealed partial class PostgresFleetStore : IRolloutStore
{
    private const string ArtifactColumns = "id, tenant, kind, name, version, size, sha256, chunk_size, chunks, signature, key_id, uploaded_by, uploaded_at";

    private const string CampaignColumns = """
        id, tenant, name, artifact_id, target_labels, target_group, stages, soak_seconds, failure_threshold, health_window_seconds, allow_downgrade,
        poll_error_margin, outbox_margin, state, current_stage, accepted_failures, detail, revision, created_by, created_at, report_timeout_seconds
        """;

    private const string CampaignAgentColumns = "campaign_id, agent_id, stage, state, reason, detail, running_version, bytes_done, baseline, soak_start, sent_at, soak_until, offline_since, reported_at";

    // A null parameter is sent as text (see Command): the bigint columns that may be null cast it.
    private const string CampaignAgentValues = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::bigint, $12::bigint, $13::bigint, $14::bigint";

    public Task<bool> AddReleaseKeyAsync(ReleaseKeyRecord key, CancellationToken cancellationToken) =>
        TryInsertAsync("INSERT INTO fleet.release_keys VALUES ($1, $2, $3, $4, $5, $6)", cancellationToken,
            key.Tenant, key.Id, key.Name, key.PublicKeyPem, key.CreatedBy, key.CreatedAt);

    public async Task<IReadOnlyList<ReleaseKeyRecord>> ListReleaseKeysAsync(string tenant, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT id, tenant, name, pem, created_by, created_at FROM fleet.release_keys WHERE tenant = $1 ORDER BY created_at, id",
            r => new ReleaseKeyRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5)),
            cancellationToken,
            tenant);

    public Task AddArtifactAsync(ArtifactRecord a, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO fleet.artifacts ({ArtifactColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            cancellationToken,
            a.Id, a.Tenant, a.Kind, a.Name, a.Version, a.Size, a.Sha256, a.ChunkSize, a.ChunkSha256.ToArray(), a.Signature, a.KeyId, a.UploadedBy, a.UploadedAt);

    public async Task<ArtifactRecord?> GetArtifactAsync(string tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {ArtifactColumns} FROM fleet.artifacts WHERE id = $1 AND tenant = $2", ReadArtifact, cancellationToken, id, tenant)).FirstOrDefault();

    public async Task<IReadOnlyList<ArtifactRecord>> ListArtifactsAsync(string tenant, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {ArtifactColumns} FROM fleet.artifacts WHERE tenant = $1 ORDER BY uploaded_at DESC, id", ReadArtifact, cancellationToken, tenant);

    public async Task AddCampaignAsync(CampaignRecord campaign, IReadOnlyList<CampaignAgentRecord> agents, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = Command(
            connection,
            $"INSERT INTO fleet.campaigns ({CampaignColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
            [
                campaign.Id, campaign.Tenant, campaign.Name, campaign.ArtifactId, campaign.TargetLabels.ToArray(), campaign.TargetGroup, campaign.Stages.ToArray(),
                campaign.SoakSeconds, campaign.FailureThreshold, campaign.HealthWindowSeconds, campaign.AllowDowngrade, campaign.PollErrorMargin, campaign.OutboxMargin,
                campaign.State, campaign.CurrentStage, campaign.AcceptedFailures, campaign.Detail, campaign.Revision, campaign.CreatedBy, campaign.CreatedAt,
                campaign.ReportTimeoutSeconds,
            ]))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var agent in agents)
        {
            await using var row = Command(connection, $"INSERT INTO fleet.campaign_agents ({CampaignAgentColumns}) VALUES ({CampaignAgentValues})", AgentParameters(agent));
            await row.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<CampaignRecord?> GetCampaignAsync(string tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {CampaignColumns} FROM fleet.campaigns WHERE id = $1 AND tenant = $2", ReadCampaign, cancellationToken, id, tenant)).FirstOrDefault();

    public async Task<IReadOnlyList<CampaignRecord>> ListCampaignsAsync(string tenant, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {CampaignColumns} FROM fleet.campaigns WHERE tenant = $1 ORDER BY created_at DESC, id", ReadCampaign, cancellationToken, tenant);

    public async Task<IReadOnlyList<CampaignRecord>> ListCampaignsInStateAsync(string state, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {CampaignColumns} FROM fleet.campaigns WHERE state = $1 ORDER BY created_at, id", ReadCampaign, cancellationToken, state);

    public async Task<bool> UpdateCampaignAsync(
        string id, string expectedState, int expectedStage, string state, int stage, int acceptedFailures, string? detail, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            """
            UPDATE fleet.campaigns SET state = $4, current_stage = $5, accepted_failures = $6, detail = $7, revision = revision + 1
            WHERE id = $1 AND state = $2 AND current_stage = $3
            """,
            cancellationToken,
            id,
            expectedState,
            expectedStage,
            state,
            stage,
            acceptedFailures,
            detail) == 1;

    public async Task<IReadOnlyList<CampaignAgentRecord>> ListCampaignAgentsAsync(string campaignId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {CampaignAgentColumns} FROM fleet.campaign_agents WHERE campaign_id = $1 ORDER BY stage, agent_id", ReadCampaignAgent, cancellationToken, campaignId);

    public async Task<IReadOnlyList<CampaignAgentRecord>> ListActiveAssignmentsAsync(string agentId, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"""
            SELECT {string.Join(", ", CampaignAgentColumns.Split(", ").Select(column => "a." + column))}
            FROM fleet.campaign_agents a JOIN fleet.campaigns c ON c.id = a.campaign_id
            WHERE a.agent_id = $1 AND c.state IN ('running', 'paused') ORDER BY c.created_at
            """,
            ReadCampaignAgent,
            cancellationToken,
            agentId);

    public async Task<bool> UpdateCampaignAgentAsync(CampaignAgentRecord agent, string? expectedState, CancellationToken cancellationToken)
    {
        // One statement: the agent row changes only in the expected state, and the campaign's revision rises only when it did.
        var changed = await QueryAsync(
            """
            WITH changed AS (
                UPDATE fleet.campaign_agents SET stage = $3, state = $4, reason = $5, detail = $6, running_version = $7, bytes_done = $8,
                    baseline = $9, soak_start = $10, sent_at = $11::bigint, soak_until = $12::bigint, offline_since = $13::bigint,
                    reported_at = $14::bigint
                WHERE campaign_id = $1 AND agent_id = $2 AND ($15 IS NULL OR state = $15) RETURNING campaign_id),
            raised AS (UPDATE fleet.campaigns SET revision = revision + 1 WHERE id IN (SELECT campaign_id FROM changed))
            SELECT count(*) FROM changed
            """,
            r => r.GetInt64(0),
            cancellationToken,
            [.. AgentParameters(agent), expectedState]);
        return changed[0] == 1;
    }

    private static object?[] AgentParameters(CampaignAgentRecord a) =>
    [
        a.CampaignId, a.AgentId, a.Stage, a.State, a.Reason, a.Detail, a.RunningVersion, a.BytesDone,
        Sample(a.Baseline), Sample(a.SoakStart), a.SentAt, a.SoakUntil, a.OfflineSince, a.ReportedAt,
    ];

    private static string? Sample(HealthSample? sample) => sample is null ? null : JsonSerializer.Serialize(sample);

    private static HealthSample? Sample(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<HealthSample>(r.GetString(ordinal));

    private static ArtifactRecord ReadArtifact(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetString(6), r.GetInt32(7), Strings(r, 8),
        r.GetFieldValue<byte[]>(9), r.GetString(10), r.GetString(11), Time(r, 12));

    private static CampaignRecord ReadCampaign(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Strings(r, 4), OptionalText(r, 5), r.GetFieldValue<int[]>(6),
        r.GetInt32(7), r.GetDouble(8), r.GetInt32(9), r.GetBoolean(10), r.GetDouble(11), r.GetInt64(12), r.GetString(13), r.GetInt32(14), r.GetInt32(15),
        OptionalText(r, 16), r.GetInt64(17), r.GetString(18), Time(r, 19), r.GetInt32(20));

    private static CampaignAgentRecord ReadCampaignAgent(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), OptionalText(r, 4), OptionalText(r, 5), OptionalText(r, 6), r.GetInt64(7),
        Sample(r, 8), Sample(r, 9), OptionalTime(r, 10), OptionalTime(r, 11), OptionalTime(r, 12), OptionalTime(r, 13));
}
