using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>Release keys, artifacts, campaigns and their agents.</summary>
internal sealed partial class SqliteFleetStore : IRolloutStore
{
    private const string RolloutSchema = """
        CREATE TABLE IF NOT EXISTS release_keys (tenant TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, pem TEXT NOT NULL,
            created_by TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant, id));
        CREATE TABLE IF NOT EXISTS artifacts (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
            size INTEGER NOT NULL, sha256 TEXT NOT NULL, chunk_size INTEGER NOT NULL, chunks TEXT NOT NULL, signature BLOB NOT NULL, key_id TEXT NOT NULL,
            uploaded_by TEXT NOT NULL, uploaded_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS artifacts_tenant ON artifacts (tenant);
        CREATE TABLE IF NOT EXISTS campaigns (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL, artifact_id TEXT NOT NULL,
            target_labels TEXT NOT NULL, target_group TEXT, stages TEXT NOT NULL, soak_seconds INTEGER NOT NULL, failure_threshold REAL NOT NULL,
            health_window_seconds INTEGER NOT NULL, allow_downgrade INTEGER NOT NULL, poll_error_margin REAL NOT NULL, outbox_margin INTEGER NOT NULL,
            state TEXT NOT NULL, current_stage INTEGER NOT NULL, accepted_failures INTEGER NOT NULL, detail TEXT, revision INTEGER NOT NULL,
            created_by TEXT NOT NULL, created_at INTEGER NOT NULL, report_timeout_seconds INTEGER NOT NULL DEFAULT 1800);
        CREATE INDEX IF NOT EXISTS campaigns_tenant ON campaigns (tenant);
        CREATE INDEX IF NOT EXISTS campaigns_state ON campaigns (state);
        CREATE TABLE IF NOT EXISTS campaign_agents (campaign_id TEXT NOT NULL, agent_id TEXT NOT NULL, stage INTEGER NOT NULL, state TEXT NOT NULL,
            reason TEXT, detail TEXT, running_version TEXT, bytes_done INTEGER NOT NULL, baseline TEXT, soak_start TEXT, sent_at INTEGER,
            soak_until INTEGER, offline_since INTEGER, reported_at INTEGER, PRIMARY KEY (campaign_id, agent_id));
        CREATE INDEX IF NOT EXISTS campaign_agents_agent ON campaign_agents (agent_id);
        """;

    private const string ArtifactColumns = "id, tenant, kind, name, version, size, sha256, chunk_size, chunks, signature, key_id, uploaded_by, uploaded_at";

    private const string CampaignColumns = """
        id, tenant, name, artifact_id, target_labels, target_group, stages, soak_seconds, failure_threshold, health_window_seconds, allow_downgrade,
        poll_error_margin, outbox_margin, state, current_stage, accepted_failures, detail, revision, created_by, created_at, report_timeout_seconds
        """;

    private const string CampaignAgentColumns = "campaign_id, agent_id, stage, state, reason, detail, running_version, bytes_done, baseline, soak_start, sent_at, soak_until, offline_since, reported_at";

    /// <summary>Columns added after the first release: a fleet.db made before them gets them (CREATE TABLE IF NOT EXISTS does not).</summary>
    private static readonly (string Table, string Column, string Definition)[] RolloutColumnsAdded =
    [
        ("campaigns", "report_timeout_seconds", "INTEGER NOT NULL DEFAULT 1800"),
        ("campaign_agents", "reported_at", "INTEGER"),
    ];

    private static async Task AddRolloutColumnsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        foreach (var (table, column, definition) in RolloutColumnsAdded)
        {
            using var probe = Command(connection, $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = $column", ("$column", column));
            if ((long)(await probe.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                using var add = Command(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
                await add.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    public Task<bool> AddReleaseKeyAsync(ReleaseKeyRecord key, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "INSERT OR IGNORE INTO release_keys VALUES ($tenant, $id, $name, $pem, $by, $at)", cancellationToken,
            ("$tenant", key.Tenant), ("$id", key.Id), ("$name", key.Name), ("$pem", key.PublicKeyPem), ("$by", key.CreatedBy), ("$at", Ticks(key.CreatedAt))) == 1, cancellationToken);

    public Task<IReadOnlyList<ReleaseKeyRecord>> ListReleaseKeysAsync(string tenant, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ReleaseKeyRecord>>(async c => await QueryAsync(
            c, "SELECT id, tenant, name, pem, created_by, created_at FROM release_keys WHERE tenant = $tenant ORDER BY created_at, id",
            r => new ReleaseKeyRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5)), cancellationToken, ("$tenant", tenant)), cancellationToken);

    public Task AddArtifactAsync(ArtifactRecord a, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(
            c, $"INSERT INTO artifacts ({ArtifactColumns}) VALUES ($id, $tenant, $kind, $name, $version, $size, $sha, $chunk, $chunks, $sig, $key, $by, $at)", cancellationToken,
            ("$id", a.Id), ("$tenant", a.Tenant), ("$kind", a.Kind), ("$name", a.Name), ("$version", a.Version), ("$size", a.Size), ("$sha", a.Sha256),
            ("$chunk", a.ChunkSize), ("$chunks", Json(a.ChunkSha256)), ("$sig", a.Signature), ("$key", a.KeyId), ("$by", a.UploadedBy), ("$at", Ticks(a.UploadedAt))), cancellationToken);

    public Task<ArtifactRecord?> GetArtifactAsync(string tenant, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(c, $"SELECT {ArtifactColumns} FROM artifacts WHERE id = $id AND tenant = $tenant", ReadArtifact, cancellationToken,
            ("$id", id), ("$tenant", tenant))).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<ArtifactRecord>> ListArtifactsAsync(string tenant, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ArtifactRecord>>(async c => await QueryAsync(c, $"SELECT {ArtifactColumns} FROM artifacts WHERE tenant = $tenant ORDER BY uploaded_at DESC, id",
            ReadArtifact, cancellationToken, ("$tenant", tenant)), cancellationToken);

    public Task AddCampaignAsync(CampaignRecord campaign, IReadOnlyList<CampaignAgentRecord> agents, CancellationToken cancellationToken) =>
        WriteAsync(async c =>
        {
            using var transaction = c.BeginTransaction();
            await ExecuteAsync(
                c, $"INSERT INTO campaigns ({CampaignColumns}) VALUES ($id, $tenant, $name, $artifact, $labels, $group, $stages, $soak, $threshold, $window, $down, $pollMargin, $outboxMargin, $state, $stage, $accepted, $detail, $revision, $by, $at, $reportTimeout)",
                cancellationToken,
                ("$id", campaign.Id), ("$tenant", campaign.Tenant), ("$name", campaign.Name), ("$artifact", campaign.ArtifactId), ("$labels", Json(campaign.TargetLabels)),
                ("$group", campaign.TargetGroup), ("$stages", JsonSerializer.Serialize(campaign.Stages)), ("$soak", campaign.SoakSeconds), ("$threshold", campaign.FailureThreshold),
                ("$window", campaign.HealthWindowSeconds), ("$down", campaign.AllowDowngrade ? 1 : 0), ("$pollMargin", campaign.PollErrorMargin), ("$outboxMargin", campaign.OutboxMargin),
                ("$state", campaign.State), ("$stage", campaign.CurrentStage), ("$accepted", campaign.AcceptedFailures), ("$detail", campaign.Detail), ("$revision", campaign.Revision),
                ("$by", campaign.CreatedBy), ("$at", Ticks(campaign.CreatedAt)), ("$reportTimeout", campaign.ReportTimeoutSeconds));
            foreach (var agent in agents)
            {
                await ExecuteAsync(c, $"INSERT INTO campaign_agents ({CampaignAgentColumns}) VALUES {AgentValues}", cancellationToken, AgentParameters(agent));
            }

            await transaction.CommitAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<CampaignRecord?> GetCampaignAsync(string tenant, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(c, $"SELECT {CampaignColumns} FROM campaigns WHERE id = $id AND tenant = $tenant", ReadCampaign, cancellationToken,
            ("$id", id), ("$tenant", tenant))).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<CampaignRecord>> ListCampaignsAsync(string tenant, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CampaignRecord>>(async c => await QueryAsync(c, $"SELECT {CampaignColumns} FROM campaigns WHERE tenant = $tenant ORDER BY created_at DESC, id",
            ReadCampaign, cancellationToken, ("$tenant", tenant)), cancellationToken);

    public Task<IReadOnlyList<CampaignRecord>> ListCampaignsInStateAsync(string state, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CampaignRecord>>(async c => await QueryAsync(c, $"SELECT {CampaignColumns} FROM campaigns WHERE state = $state ORDER BY created_at, id",
            ReadCampaign, cancellationToken, ("$state", state)), cancellationToken);

    public Task<bool> UpdateCampaignAsync(
        string id, string expectedState, int expectedStage, string state, int stage, int acceptedFailures, string? detail, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(
            c,
            """
            UPDATE campaigns SET state = $state, current_stage = $stage, accepted_failures = $accepted, detail = $detail, revision = revision + 1
            WHERE id = $id AND state = $expected AND current_stage = $expectedStage
            """,
            cancellationToken,
            ("$id", id), ("$expected", expectedState), ("$expectedStage", expectedStage), ("$state", state), ("$stage", stage), ("$accepted", acceptedFailures), ("$detail", detail)) == 1,
            cancellationToken);

    public Task<IReadOnlyList<CampaignAgentRecord>> ListCampaignAgentsAsync(string campaignId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CampaignAgentRecord>>(async c => await QueryAsync(
            c, $"SELECT {CampaignAgentColumns} FROM campaign_agents WHERE campaign_id = $id ORDER BY stage, agent_id", ReadCampaignAgent, cancellationToken, ("$id", campaignId)),
            cancellationToken);

    public Task<IReadOnlyList<CampaignAgentRecord>> ListActiveAssignmentsAsync(string agentId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CampaignAgentRecord>>(async c => await QueryAsync(
            c,
            $"""
            SELECT {string.Join(", ", CampaignAgentColumns.Split(", ").Select(column => "a." + column))} FROM campaign_agents a JOIN campaigns c ON c.id = a.campaign_id
            WHERE a.agent_id = $agent AND c.state IN ('running', 'paused') ORDER BY c.created_at
            """,
            ReadCampaignAgent, cancellationToken, ("$agent", agentId)), cancellationToken);

    public Task<bool> UpdateCampaignAgentAsync(CampaignAgentRecord agent, string? expectedState, CancellationToken cancellationToken) =>
        WriteAsync(async c =>
        {
            using var transaction = c.BeginTransaction();
            var changed = await ExecuteAsync(
                c,
                """
                UPDATE campaign_agents SET stage = $stage, state = $state, reason = $reason, detail = $detail, running_version = $version, bytes_done = $bytes,
                    baseline = $baseline, soak_start = $soakStart, sent_at = $sent, soak_until = $soakUntil, offline_since = $offline,
                    reported_at = $reported
                WHERE campaign_id = $campaign AND agent_id = $agent AND ($expected IS NULL OR state = $expected)
                """,
                cancellationToken,
                [.. AgentParameters(agent), ("$expected", expectedState)]) == 1;
            if (changed)
            {
                await ExecuteAsync(c, "UPDATE campaigns SET revision = revision + 1 WHERE id = $campaign", cancellationToken, ("$campaign", agent.CampaignId));
            }

            await transaction.CommitAsync(cancellationToken);
            return changed;
        }, cancellationToken);

    private const string AgentValues = "($campaign, $agent, $stage, $state, $reason, $detail, $version, $bytes, $baseline, $soakStart, $sent, $soakUntil, $offline, $reported)";

    private static (string, object?)[] AgentParameters(CampaignAgentRecord a) =>
    [
        ("$campaign", a.CampaignId), ("$agent", a.AgentId), ("$stage", a.Stage), ("$state", a.State), ("$reason", a.Reason), ("$detail", a.Detail),
        ("$version", a.RunningVersion), ("$bytes", a.BytesDone), ("$baseline", Sample(a.Baseline)), ("$soakStart", Sample(a.SoakStart)),
        ("$sent", a.SentAt is { } sent ? Ticks(sent) : null), ("$soakUntil", a.SoakUntil is { } until ? Ticks(until) : null),
        ("$offline", a.OfflineSince is { } offline ? Ticks(offline) : null), ("$reported", a.ReportedAt is { } reported ? Ticks(reported) : null),
    ];

    private static string? Sample(HealthSample? sample) => sample is null ? null : JsonSerializer.Serialize(sample);

    private static HealthSample? Sample(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<HealthSample>(r.GetString(ordinal));

    private static string? OptionalString(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static ArtifactRecord ReadArtifact(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetString(6), r.GetInt32(7), Strings(r, 8),
        (byte[])r.GetValue(9), r.GetString(10), r.GetString(11), Time(r, 12));

    private static CampaignRecord ReadCampaign(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Strings(r, 4), OptionalString(r, 5), JsonSerializer.Deserialize<int[]>(r.GetString(6)) ?? [],
        r.GetInt32(7), r.GetDouble(8), r.GetInt32(9), r.GetInt64(10) != 0, r.GetDouble(11), r.GetInt64(12), r.GetString(13), r.GetInt32(14), r.GetInt32(15),
        OptionalString(r, 16), r.GetInt64(17), r.GetString(18), Time(r, 19), r.GetInt32(20));

    private static CampaignAgentRecord ReadCampaignAgent(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), OptionalString(r, 4), OptionalString(r, 5), OptionalString(r, 6), r.GetInt64(7),
        Sample(r, 8), Sample(r, 9), OptionalTime(r, 10), OptionalTime(r, 11), OptionalTime(r, 12), OptionalTime(r, 13));
}
