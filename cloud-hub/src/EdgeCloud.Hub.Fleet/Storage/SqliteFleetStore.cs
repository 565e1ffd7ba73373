using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>
/// <see cref="IFleetStore"/> on SQLite (<c>fleet.db</c> in the fleet data folder, WAL). Writes are
/// serialized by one gate (SQLite has one writer anyway; the gate turns "database is locked" into waiting);
/// reads use their own pooled connections.
/// </summary>
internal sealed partial class SqliteFleetStore : IFleetStore, IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS users_tenant ON users (tenant);
        CREATE TABLE IF NOT EXISTS api_keys (hash TEXT PRIMARY KEY, id TEXT NOT NULL, user_id TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS enrollment_tokens (hash TEXT PRIMARY KEY, id TEXT NOT NULL, tenant TEXT NOT NULL, labels TEXT NOT NULL,
            expires_at INTEGER NOT NULL, used_at INTEGER, created_by TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS agents (agent_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, labels TEXT NOT NULL, groups_json TEXT NOT NULL,
            serial TEXT NOT NULL, thumbprint TEXT NOT NULL, not_after INTEGER NOT NULL, enrolled_at INTEGER NOT NULL, revoked_at INTEGER);
        CREATE INDEX IF NOT EXISTS agents_tenant ON agents (tenant);
        CREATE TABLE IF NOT EXISTS certificates (serial TEXT PRIMARY KEY, agent_id TEXT NOT NULL, thumbprint TEXT NOT NULL, not_after INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, actor TEXT NOT NULL, tenant TEXT NOT NULL,
            action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL, detail TEXT);
        CREATE INDEX IF NOT EXISTS audit_tenant ON audit (tenant, id);
        CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TABLE IF NOT EXISTS retention_policies (tenant TEXT PRIMARY KEY, json TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL);
        """;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _write = new(1, 1);

    public SqliteFleetStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await WriteAsync(async connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Schema + OperationsSchema + RolloutSchema;
            await command.ExecuteNonQueryAsync(cancellationToken);
            await AddRolloutColumnsAsync(connection, cancellationToken);
            return 0;
        }, cancellationToken);

    public void Dispose() => _write.Dispose();

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken);
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            return await work(connection);
        }
        finally
        {
            _write.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return await work(connection);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<T>> QueryAsync<T>(
        SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static long Ticks(DateTimeOffset time) => time.UtcTicks;

    private static DateTimeOffset Time(SqliteDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    private static DateTimeOffset? OptionalTime(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    private static string Json(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    private static string[] Strings(SqliteDataReader reader, int ordinal) => JsonSerializer.Deserialize<string[]>(reader.GetString(ordinal)) ?? [];

    private static bool IsConstraint(SqliteException error) => error.SqliteErrorCode == 19;
}
