using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>Desired configs, config reports and commands.</summary>
internal sealed partial class SqliteFleetStore : IFleetOperationsStore
{
    private const string OperationsSchema = """
        CREATE TABLE IF NOT EXISTS site_configs (tenant TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, version INTEGER NOT NULL,
            json TEXT NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant, kind, target, version));
        CREATE TABLE IF NOT EXISTS config_reports (agent_id TEXT PRIMARY KEY, version TEXT NOT NULL, state TEXT NOT NULL, detail TEXT NOT NULL, time INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS commands (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, agent_id TEXT NOT NULL, kind TEXT NOT NULL, arguments TEXT NOT NULL,
            status TEXT NOT NULL, detail TEXT, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, deadline INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS commands_agent ON commands (agent_id, status);
        """;

    private const string CommandColumns = "id, tenant, agent_id, kind, arguments, status, detail, created_by, created_at, deadline";

    public Task<SiteConfigRecord> AddSiteConfigAsync(SiteConfigRecord config, CancellationToken cancellationToken) =>
        WriteAsync(async c =>
        {
            using var command = Command(
                c,
                """
                INSERT INTO site_configs SELECT $tenant, $kind, $target, COALESCE(MAX(version), 0) + 1, $json, $by, $at
                FROM site_configs WHERE tenant = $tenant AND kind = $kind AND target = $target RETURNING version
                """,
                ("$tenant", config.Tenant), ("$kind", config.TargetKind), ("$target", config.Target), ("$json", config.Json), ("$by", config.CreatedBy), ("$at", Ticks(config.CreatedAt)));
            var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return config with { Version = version };
        }, cancellationToken);

    public Task<SiteConfigRecord?> GetLatestSiteConfigAsync(string tenant, string targetKind, string target, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(
            c,
            "SELECT tenant, kind, target, version, json, created_by, created_at FROM site_configs WHERE tenant = $tenant AND kind = $kind AND target = $target ORDER BY version DESC LIMIT 1",
            r => new SiteConfigRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetString(5), Time(r, 6)),
            cancellationToken,
            ("$tenant", tenant), ("$kind", targetKind), ("$target", target))).FirstOrDefault(), cancellationToken);

    public Task SetConfigReportAsync(ConfigReportRecord report, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "INSERT OR REPLACE INTO config_reports VALUES ($id, $version, $state, $detail, $time)", cancellationToken,
            ("$id", report.AgentId), ("$version", report.Version), ("$state", report.State), ("$detail", report.Detail), ("$time", Ticks(report.Time))), cancellationToken);

    public Task<ConfigReportRecord?> GetConfigReportAsync(string agentId, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(
            c, "SELECT agent_id, version, state, detail, time FROM config_reports WHERE agent_id = $id",
            r => new ConfigReportRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r, 4)), cancellationToken, ("$id", agentId))).FirstOrDefault(), cancellationToken);

    public Task AddCommandAsync(CommandRecord command, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, $"INSERT INTO commands ({CommandColumns}) VALUES ($id, $tenant, $agent, $kind, $args, $status, $detail, $by, $at, $deadline)", cancellationToken,
            ("$id", command.Id), ("$tenant", command.Tenant), ("$agent", command.AgentId), ("$kind", command.Kind), ("$args", JsonSerializer.Serialize(command.Arguments)),
            ("$status", command.Status), ("$detail", command.Detail), ("$by", command.CreatedBy), ("$at", Ticks(command.CreatedAt)), ("$deadline", Ticks(command.Deadline))), cancellationToken);

    public Task<CommandRecord?> GetCommandAsync(string tenant, string id, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(c, $"SELECT {CommandColumns} FROM commands WHERE id = $id AND tenant = $tenant", ReadCommand, cancellationToken,
            ("$id", id), ("$tenant", tenant))).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<CommandRecord>> ListCommandsAsync(string agentId, string status, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CommandRecord>>(async c => await QueryAsync(c, $"SELECT {CommandColumns} FROM commands WHERE agent_id = $agent AND status = $status ORDER BY created_at",
            ReadCommand, cancellationToken, ("$agent", agentId), ("$status", status)), cancellationToken);

    public Task<bool> UpdateCommandAsync(string id, string? agentId, string status, string? detail, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(
            c, "UPDATE commands SET status = $status, detail = COALESCE($detail, detail) WHERE id = $id AND ($agent IS NULL OR agent_id = $agent) AND status IN ('queued', 'sent')",
            cancellationToken, ("$id", id), ("$agent", agentId), ("$status", status), ("$detail", detail)) == 1, cancellationToken);

    public Task<bool> ClaimCommandAsync(string id, string agentId, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "UPDATE commands SET status = 'sent' WHERE id = $id AND agent_id = $agent AND status = 'queued'",
            cancellationToken, ("$id", id), ("$agent", agentId)) == 1, cancellationToken);

    private static CommandRecord ReadCommand(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4)) ?? [],
        r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), Time(r, 8), Time(r, 9));
}
