using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>
/// The alert store in its own SQLite file, <c>alerts.db</c> in the hub's data folder: a separate file has its
/// own writer lock, so incident and rule writes never wait behind (or hold up) the telemetry writer. WAL mode,
/// <c>synchronous=FULL</c>; writers are serialized in-process and with <c>BEGIN IMMEDIATE</c>.
/// </summary>
internal sealed class SqliteAlertStore : AlertStore, IDisposable
{
    /// <summary>The database file's name inside the data folder.</summary>
    public const string FileName = "alerts.db";

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE incidents (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant          TEXT    NOT NULL,
            agent_id        TEXT    NOT NULL,
            source          TEXT    NOT NULL,
            incident_key    TEXT    NOT NULL,
            rule            TEXT,
            tag             TEXT,
            severity        INTEGER NOT NULL,
            state           TEXT    NOT NULL,
            level           INTEGER NOT NULL,
            message         TEXT    NOT NULL,
            opened_at       INTEGER NOT NULL,
            last_event_at   INTEGER NOT NULL,
            acknowledged_at INTEGER,
            acknowledged_by TEXT,
            snoozed_until   INTEGER,
            resolved_at     INTEGER,
            revision        INTEGER NOT NULL
        );
        -- The dedupe rule: one unresolved incident per (tenant, agent, key).
        CREATE UNIQUE INDEX incidents_one_unresolved ON incidents (tenant, agent_id, incident_key) WHERE state <> 'resolved';
        CREATE UNIQUE INDEX incidents_by_revision ON incidents (revision);
        CREATE INDEX incidents_by_tenant ON incidents (tenant, opened_at);
        CREATE TABLE incident_alarm_cursors (agent_id TEXT NOT NULL PRIMARY KEY, event_no INTEGER NOT NULL);
        CREATE TABLE alert_configs (
            tenant     TEXT    NOT NULL,
            kind       TEXT    NOT NULL,
            id         TEXT    NOT NULL,
            body       TEXT    NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (tenant, kind, id)
        );
        """,
    ];

    private readonly SemaphoreSlim _writers = new(1, 1);
    private readonly string _connectionString;

    private SqliteAlertStore(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc />
    protected override IReadOnlyList<string> MigrationSteps => Steps;

    /// <summary>Opens (creating when needed) <c>alerts.db</c> in <paramref name="dataDirectory"/> and migrates it.</summary>
    public static async Task<SqliteAlertStore> OpenAsync(string dataDirectory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(Path.Combine(dataDirectory, FileName)),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 10,
        };
        var store = new SqliteAlertStore(builder.ToString());
        await using (var connection = new SqliteConnection(builder.ToString()))
        {
            await connection.OpenAsync(cancellationToken);
            await using var wal = Command(connection, null, "PRAGMA journal_mode = WAL");
            await wal.ExecuteScalarAsync(cancellationToken);
        }

        await store.MigrateAsync(now, cancellationToken);
        return store;
    }

    /// <inheritdoc />
    public void Dispose() => _writers.Dispose();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <inheritdoc />
    protected override async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);

            // FULL: an incident change, once the API answered, survives power loss.
            await using (var sync = Command(connection, null, "PRAGMA synchronous = FULL"))
            {
                await sync.ExecuteNonQueryAsync(cancellationToken);
            }

            // Not deferred: BEGIN IMMEDIATE takes the write lock now, so the MAX(revision) read inside is stable.
            var transaction = connection.BeginTransaction(deferred: false);
            return new WriteScope(connection, transaction, new Releaser(_writers));
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _writers.Release();
            throw;
        }
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
