using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>Tenants, users, API keys and the audit log.</summary>
internal sealed partial class SqliteFleetStore
{
    public Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken) =>
        WriteAsync(async c => await TryInsertAsync(c, "INSERT INTO tenants VALUES ($id, $name, $at)", cancellationToken,
            ("$id", tenant.Id), ("$name", tenant.Name), ("$at", Ticks(tenant.CreatedAt))), cancellationToken);

    public Task<TenantRecord?> GetTenantAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(c, "SELECT id, name, created_at FROM tenants WHERE id = $id", ReadTenant, cancellationToken, ("$id", id))).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<TenantRecord>>(async c => await QueryAsync(c, "SELECT id, name, created_at FROM tenants ORDER BY id", ReadTenant, cancellationToken), cancellationToken);

    public Task<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken) =>
        WriteAsync(async c => await TryInsertAsync(c, "INSERT INTO users VALUES ($id, $tenant, $name, $role, $at)", cancellationToken,
            ("$id", user.Id), ("$tenant", user.Tenant), ("$name", user.Name), ("$role", user.Role), ("$at", Ticks(user.CreatedAt))), cancellationToken);

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(string tenant, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<UserRecord>>(async c => await QueryAsync(
            c, "SELECT id, tenant, name, role, created_at FROM users WHERE tenant = $tenant ORDER BY id", ReadUser, cancellationToken, ("$tenant", tenant)), cancellationToken);

    public Task<bool> AnyUserAsync(CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(c, "SELECT 1 FROM users LIMIT 1", r => r.GetInt64(0), cancellationToken)).Count > 0, cancellationToken);

    public Task AddApiKeyAsync(string keyHash, string keyId, string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "INSERT INTO api_keys VALUES ($hash, $id, $user, $at)", cancellationToken,
            ("$hash", keyHash), ("$id", keyId), ("$user", userId), ("$at", Ticks(now))), cancellationToken);

    public Task<UserRecord?> FindUserByApiKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(
            c,
            "SELECT u.id, u.tenant, u.name, u.role, u.created_at FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.hash = $hash",
            ReadUser,
            cancellationToken,
            ("$hash", keyHash))).FirstOrDefault(), cancellationToken);

    public Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        WriteAsync(async c =>
        {
            using var command = Command(
                c,
                "INSERT INTO audit (time, actor, tenant, action, target, result, detail) VALUES ($time, $actor, $tenant, $action, $target, $result, $detail) RETURNING id",
                ("$time", Ticks(entry.Time)), ("$actor", entry.Actor), ("$tenant", entry.Tenant), ("$action", entry.Action),
                ("$target", entry.Target), ("$result", entry.Result), ("$detail", entry.Detail));
            var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            return entry with { Id = id };
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string tenant, long afterId, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AuditEntry>>(async c => await QueryAsync(
            c,
            "SELECT id, time, actor, tenant, action, target, result, detail FROM audit WHERE tenant = $tenant AND id > $after ORDER BY id LIMIT $limit",
            r => new AuditEntry(r.GetInt64(0), Time(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)),
            cancellationToken,
            ("$tenant", tenant), ("$after", afterId), ("$limit", limit)), cancellationToken);

    private static async Task<bool> TryInsertAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        try
        {
            await ExecuteAsync(connection, sql, cancellationToken, parameters);
            return true;
        }
        catch (SqliteException error) when (IsConstraint(error))
        {
            return false;
        }
    }

    private static TenantRecord ReadTenant(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), Time(r, 2));

    private static UserRecord ReadUser(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r, 4));

    public Task<string?> GetRetentionPoliciesAsync(string tenant, CancellationToken cancellationToken) =>
        ReadAsync(async c => (await QueryAsync(c, "SELECT json FROM retention_policies WHERE tenant = $tenant", r => (string?)r.GetString(0), cancellationToken, ("$tenant", tenant))).FirstOrDefault(), cancellationToken);

    public Task SetRetentionPoliciesAsync(string tenant, string json, string updatedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async c => await ExecuteAsync(c, "INSERT OR REPLACE INTO retention_policies VALUES ($tenant, $json, $by, $at)", cancellationToken,
            ("$tenant", tenant), ("$json", json), ("$by", updatedBy), ("$at", Ticks(now))), cancellationToken);
}
