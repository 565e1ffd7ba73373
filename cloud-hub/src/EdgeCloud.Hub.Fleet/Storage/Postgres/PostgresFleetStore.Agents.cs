using Npgsql;

namespace EdgeCloud.Hub.Fleet.Storage.Postgres;

/// <summary>Enrollment tokens, enrolled agents and their certificates.</summary>
internal sealed partial class PostgresFleetStore
{
    private const string AgentColumns = "agent_id, tenant, labels, groups, serial, thumbprint, not_after, enrolled_at, revoked_at";

    public Task AddEnrollmentTokenAsync(EnrollmentTokenRecord token, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO fleet.enrollment_tokens VALUES ($1, $2, $3, $4, $5, NULL, $6)", cancellationToken,
            token.Hash, token.Id, token.Tenant, token.Labels.ToArray(), token.ExpiresAt, token.CreatedBy);

    public async Task<EnrollmentTokenRecord?> GetEnrollmentTokenAsync(string hash, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT hash, id, tenant, labels, expires_at, used_at, created_by FROM fleet.enrollment_tokens WHERE hash = $1",
            r => new EnrollmentTokenRecord(r.GetString(0), r.GetString(1), r.GetString(2), Strings(r, 3), Time(r, 4), OptionalTime(r, 5), r.GetString(6)),
            cancellationToken,
            hash)).FirstOrDefault();

    public async Task<bool> MarkEnrollmentTokenUsedAsync(string hash, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE fleet.enrollment_tokens SET used_at = $2 WHERE hash = $1 AND used_at IS NULL", cancellationToken, hash, now) == 1;

    public async Task<bool> EnrollAgentAsync(FleetAgentRecord agent, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Insert, or take over the id of a revoked agent; a live agent with this id stays untouched (0 rows).
        await using (var upsert = Command(
            connection,
            $"""
            INSERT INTO fleet.agents ({AgentColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)
            ON CONFLICT (agent_id) DO UPDATE SET tenant = EXCLUDED.tenant, labels = EXCLUDED.labels, groups = EXCLUDED.groups, serial = EXCLUDED.serial,
                thumbprint = EXCLUDED.thumbprint, not_after = EXCLUDED.not_after, enrolled_at = EXCLUDED.enrolled_at, revoked_at = NULL
            WHERE fleet.agents.revoked_at IS NOT NULL
            """,
            [agent.AgentId, agent.Tenant, agent.Labels.ToArray(), agent.Groups.ToArray(), agent.CertificateSerial, agent.CertificateThumbprint, agent.CertificateNotAfter, agent.EnrolledAt]))
        {
            if (await upsert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await using (var clear = Command(connection, "DELETE FROM fleet.certificates WHERE agent_id = $1", [agent.AgentId]))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var first = Command(connection, "INSERT INTO fleet.certificates VALUES ($1, $2, $3, $4)",
            [agent.CertificateSerial, agent.AgentId, agent.CertificateThumbprint, agent.CertificateNotAfter]))
        {
            await first.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task AddCertificateAsync(string agentId, string serial, string thumbprint, DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = Command(connection, "INSERT INTO fleet.certificates VALUES ($1, $2, $3, $4)", [serial, agentId, thumbprint, notAfter]))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var update = Command(connection, "UPDATE fleet.agents SET serial = $1, thumbprint = $3, not_after = $4 WHERE agent_id = $2", [serial, agentId, thumbprint, notAfter]))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> IsCertificateOfAsync(string agentId, string serial, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM fleet.certificates WHERE serial = $1 AND agent_id = $2", r => r.GetInt32(0), cancellationToken, serial, agentId)).Count > 0;

    public async Task<FleetAgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {AgentColumns} FROM fleet.agents WHERE agent_id = $1", ReadAgent, cancellationToken, agentId)).FirstOrDefault();

    public async Task<IReadOnlyList<FleetAgentRecord>> ListAgentsAsync(string tenant, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {AgentColumns} FROM fleet.agents WHERE tenant = $1 ORDER BY agent_id", ReadAgent, cancellationToken, tenant);

    public async Task<bool> RevokeAgentAsync(string agentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE fleet.agents SET revoked_at = $2 WHERE agent_id = $1 AND revoked_at IS NULL", cancellationToken, agentId, now) == 1;

    public async Task<bool> SetLabelsAsync(string agentId, IReadOnlyList<string> labels, IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE fleet.agents SET labels = $2, groups = $3 WHERE agent_id = $1", cancellationToken, agentId, labels.ToArray(), groups.ToArray()) == 1;

    private static FleetAgentRecord ReadAgent(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), Strings(r, 2), Strings(r, 3), r.GetString(4), r.GetString(5), Time(r, 6), Time(r, 7), OptionalTime(r, 8));
}
