using System.Text.Json;
using Npgsql;

namespace EdgeCloud.Hub.Fleet.Storage.Postgres;

/// <summary>Desired configs, config reports and commands.</summary>
internal sealed partial class PostgresFleetStore : IFleetOperationsStore
{
    private const string CommandColumns = "id, tenant, agent_id, kind, arguments, status, detail, created_by, created_at, deadline";

    public async Task<SiteConfigRecord> AddSiteConfigAsync(SiteConfigRecord config, CancellationToken cancellationToken)
    {
        // Two replicas pushing to one target at once may compute the same next version: the key refuses one, which tries again.
        for (var attempt = 1; ; attempt++)
        {
            await using var command = Command(
                null,
                """
                INSERT INTO fleet.site_configs SELECT $1, $2, $3, COALESCE(MAX(version), 0) + 1, $4, $5, $6
                FROM fleet.site_configs WHERE tenant = $1 AND kind = $2 AND target = $3 RETURNING version
                """,
                [config.Tenant, config.TargetKind, config.Target, config.Json, config.CreatedBy, config.CreatedAt]);
            try
            {
                var version = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
                return config with { Version = version };
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 5)
            {
            }
        }
    }

    public async Task<SiteConfigRecord?> GetLatestSiteConfigAsync(string tenant, string targetKind, string target, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT tenant, kind, target, version, json, created_by, created_at FROM fleet.site_configs WHERE tenant = $1 AND kind = $2 AND target = $3 ORDER BY version DESC LIMIT 1",
            r => new SiteConfigRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetString(5), Time(r, 6)),
            cancellationToken,
            tenant,
            targetKind,
            target)).FirstOrDefault();

    public Task SetConfigReportAsync(ConfigReportRecord report, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO fleet.config_reports VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (agent_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, detail = EXCLUDED.detail, time = EXCLUDED.time
            """,
            cancellationToken,
            report.AgentId,
            report.Version,
            report.State,
            report.Detail,
            report.Time);

    public async Task<ConfigReportRecord?> GetConfigReportAsync(string agentId, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT agent_id, version, state, detail, time FROM fleet.config_reports WHERE agent_id = $1",
            r => new ConfigReportRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r, 4)),
            cancellationToken,
            agentId)).FirstOrDefault();

    public Task AddCommandAsync(CommandRecord command, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO fleet.commands ({CommandColumns}) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10)",
            cancellationToken,
            command.Id,
            command.Tenant,
            command.AgentId,
            command.Kind,
            JsonSerializer.Serialize(command.Arguments),
            command.Status,
            command.Detail,
            command.CreatedBy,
            command.CreatedAt,
            command.Deadline);

    public async Task<CommandRecord?> GetCommandAsync(string tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {CommandColumns} FROM fleet.commands WHERE id = $1 AND tenant = $2", ReadCommand, cancellationToken, id, tenant)).FirstOrDefault();

    public async Task<IReadOnlyList<CommandRecord>> ListCommandsAsync(string agentId, string status, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {CommandColumns} FROM fleet.commands WHERE agent_id = $1 AND status = $2 ORDER BY created_at, id", ReadCommand, cancellationToken, agentId, status);

    public async Task<bool> UpdateCommandAsync(string id, string? agentId, string status, string? detail, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE fleet.commands SET status = $3, detail = COALESCE($4, detail) WHERE id = $1 AND ($2 IS NULL OR agent_id = $2) AND status IN ('queued', 'sent')",
            cancellationToken,
            id,
            agentId,
            status,
            detail) == 1;

    public async Task<bool> ClaimCommandAsync(string id, string agentId, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE fleet.commands SET status = 'sent' WHERE id = $1 AND agent_id = $2 AND status = 'queued'", cancellationToken, id, agentId) == 1;

    private static CommandRecord ReadCommand(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4)) ?? [],
        r.GetString(5), OptionalText(r, 6), r.GetString(7), Time(r, 8), Time(r, 9));
}
