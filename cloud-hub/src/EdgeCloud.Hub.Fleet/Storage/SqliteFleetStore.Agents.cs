using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>Enrollment tokens, enrolled agents and their certificates.</summary>
internal sealed partial class SqliteFleetStore
{
    private const string AgentColumns = "agent_id, tenant, labels, groups_json, serial, thumbprint, not_after, enrolled_at, revoked_at";

    public Task AddEnrollmentTokenAsync(EnrollmentTokenRecord token, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "INSERT INTO enrollment_tokens VALUES ($hash, $id, $tenant, $labels, $expires, NULL, $by)", cancellationToken,
            ("$hash", token.Hash), ("$id", token.Id), ("$tenant", token.Tenant), ("$labels", Json(token.Labels)), ("$expires", Ticks(token.ExpiresAt)), ("$by", token.CreatedBy)), cancellationToken);

    public Task<EnrollmentTokenRecord?> GetEnrollmentTokenAsync(string hash, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(
            c,
            "SELECT hash, id, tenant, labels, expires_at, used_at, created_by FROM enrollment_tokens WHERE hash = $hash",
            r => new EnrollmentTokenRecord(r.GetString(0), r.GetString(1), r.GetString(2), Strings(r, 3), Time(r, 4), OptionalTime(r, 5), r.GetString(6)),
            cancellationToken,
            ("$hash", hash))).FirstOrDefault(), cancellationToken);

    public Task<bool> MarkEnrollmentTokenUsedAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "UPDATE enrollment_tokens SET used_at = $now WHERE hash = $hash AND used_at IS NULL", cancellationToken,
            ("$hash", hash), ("$now", Ticks(now))) == 1, cancellationToken);

    public Task<bool> EnrollAgentAsync(FleetAgentRecord agent, CancellationToken cancellationToken) =>
        WriteAsync(async c =>
        {
            await using var transaction = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
            var existing = await QueryAsync(c, "SELECT revoked_at FROM agents WHERE agent_id = $id", r => r.IsDBNull(0), cancellationToken, ("$id", agent.AgentId));
            if (existing.Count > 0 && existing[0])
            {
                return false;
            }

            await ExecuteAsync(c, $"INSERT OR REPLACE INTO agents ({AgentColumns}) VALUES ($id, $tenant, $labels, $groups, $serial, $thumb, $notAfter, $at, NULL)", cancellationToken,
                ("$id", agent.AgentId), ("$tenant", agent.Tenant), ("$labels", Json(agent.Labels)), ("$groups", Json(agent.Groups)),
                ("$serial", agent.CertificateSerial), ("$thumb", agent.CertificateThumbprint), ("$notAfter", Ticks(agent.CertificateNotAfter)), ("$at", Ticks(agent.EnrolledAt)));
            await ExecuteAsync(c, "DELETE FROM certificates WHERE agent_id = $id", cancellationToken, ("$id", agent.AgentId));
            await ExecuteAsync(c, "INSERT INTO certificates VALUES ($serial, $id, $thumb, $notAfter)", cancellationToken,
                ("$serial", agent.CertificateSerial), ("$id", agent.AgentId), ("$thumb", agent.CertificateThumbprint), ("$notAfter", Ticks(agent.CertificateNotAfter)));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task AddCertificateAsync(string agentId, string serial, string thumbprint, DateTimeOffset notAfter, CancellationToken cancellationToken) =>
        WriteAsync(async c =>
        {
            await using var transaction = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(c, "INSERT INTO certificates VALUES ($serial, $id, $thumb, $notAfter)", cancellationToken,
                ("$serial", serial), ("$id", agentId), ("$thumb", thumbprint), ("$notAfter", Ticks(notAfter)));
            await ExecuteAsync(c, "UPDATE agents SET serial = $serial, thumbprint = $thumb, not_after = $notAfter WHERE agent_id = $id", cancellationToken,
                ("$serial", serial), ("$id", agentId), ("$thumb", thumbprint), ("$notAfter", Ticks(notAfter)));
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    public Task<bool> IsCertificateOfAsync(string agentId, string serial, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(c, "SELECT 1 FROM certificates WHERE serial = $serial AND agent_id = $id", r => r.GetInt64(0), cancellationToken,
            ("$serial", serial), ("$id", agentId))).Count > 0, cancellationToken);

    public Task<FleetAgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(c, $"SELECT {AgentColumns} FROM agents WHERE agent_id = $id", ReadAgent, cancellationToken, ("$id", agentId))).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<FleetAgentRecord>> ListAgentsAsync(string tenant, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<FleetAgentRecord>>(async c => await QueryAsync(
            c, $"SELECT {AgentColumns} FROM agents WHERE tenant = $tenant ORDER BY agent_id", ReadAgent, cancellationToken, ("$tenant", tenant)), cancellationToken);

    public Task<bool> RevokeAgentAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "UPDATE agents SET revoked_at = $now WHERE agent_id = $id AND revoked_at IS NULL", cancellationToken,
            ("$id", agentId), ("$now", Ticks(now))) == 1, cancellationToken);

    public Task<bool> SetLabelsAsync(string agentId, IReadOnlyList<string> labels, IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "UPDATE agents SET labels = $labels, groups_json = $groups WHERE agent_id = $id", cancellationToken,
            ("$id", agentId), ("$labels", Json(labels)), ("$groups", Json(groups))) == 1, cancellationToken);

    private static FleetAgentRecord ReadAgent(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), Strings(r, 2), Strings(r, 3), r.GetString(4), r.GetString(5), Time(r, 6), Time(r, 7), OptionalTime(r, 8));
}
