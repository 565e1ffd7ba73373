using Npgsql;

namespace EdgeCloud.Hub.Fleet.Storage.Postgres;

/// <summary>Tenants, users, API keys and the audit log.</summary>
internal sealed partial class PostgresFleetStore
{
    public Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken) =>
        TryInsertAsync("INSERT INTO fleet.tenants VALUES ($1, $2, $3)", cancellationToken, tenant.Id, tenant.Name, tenant.CreatedAt);

    public async Task<TenantRecord?> GetTenantAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT id, name, created_at FROM fleet.tenants WHERE id = $1", ReadTenant, cancellationToken, id)).FirstOrDefault();

    public async Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken) =>
        await QueryAsync("SELECT id, name, created_at FROM fleet.tenants ORDER BY id", ReadTenant, cancellationToken);

    public Task<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken) =>
        TryInsertAsync("INSERT INTO fleet.users VALUES ($1, $2, $3, $4, $5)", cancellationToken, user.Id, user.Tenant, user.Name, user.Role, user.CreatedAt);

    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(string tenant, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT id, tenant, name, role, created_at FROM fleet.users WHERE tenant = $1 ORDER BY id", ReadUser, cancellationToken, tenant);

    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM fleet.users LIMIT 1", r => r.GetInt32(0), cancellationToken)).Count > 0;

    public Task AddApiKeyAsync(string keyHash, string keyId, string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO fleet.api_keys VALUES ($1, $2, $3, $4)", cancellationToken, keyHash, keyId, userId, now);

    public async Task<UserRecord?> FindUserByApiKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        (await QueryAsync(
            "SELECT u.id, u.tenant, u.name, u.role, u.created_at FROM fleet.api_keys k JOIN fleet.users u ON u.id = k.user_id WHERE k.hash = $1",
            ReadUser,
            cancellationToken,
            keyHash)).FirstOrDefault();

    public async Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var command = Command(
            null,
            "INSERT INTO fleet.audit (time, actor, tenant, action, target, result, detail) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            [entry.Time, entry.Actor, entry.Tenant, entry.Action, entry.Target, entry.Result, entry.Detail]);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return entry with { Id = id };
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string tenant, long afterId, int limit, CancellationToken cancellationToken) =>
        await QueryAsync(
            "SELECT id, time, actor, tenant, action, target, result, detail FROM fleet.audit WHERE tenant = $1 AND id > $2 ORDER BY id LIMIT $3",
            r => new AuditEntry(r.GetInt64(0), Time(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), OptionalText(r, 7)),
            cancellationToken,
            tenant,
            afterId,
            limit);

    private static TenantRecord ReadTenant(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), Time(r, 2));

    private static UserRecord ReadUser(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r, 4));

    public async Task<string?> GetRetentionPoliciesAsync(string tenant, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT json FROM fleet.retention_policies WHERE tenant = $1", r => (string?)r.GetString(0), cancellationToken, tenant)).FirstOrDefault();

    public Task SetRetentionPoliciesAsync(string tenant, string json, string updatedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO fleet.retention_policies VALUES ($1, $2, $3, $4) ON CONFLICT (tenant) DO UPDATE SET json = excluded.json, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            cancellationToken,
            tenant,
            json,
            updatedBy,
            now);
}
