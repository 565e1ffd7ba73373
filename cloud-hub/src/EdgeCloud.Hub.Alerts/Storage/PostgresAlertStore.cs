using System.Data.Common;
using Npgsql;

namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>
/// The alert store in the hub's shared PostgreSQL database (tables beside the telemetry, their own schema
/// version). Every write transaction first takes one advisory lock, so writers on all replicas are
/// serialized and incident revisions commit in order; incident writes are rare next to ingest, which never
/// takes this lock.
/// </summary>
internal sealed class PostgresAlertStore : AlertStore, IAsyncDisposable
{
    /// <summary>The advisory lock of alert writes ("alerts" in ASCII); the telemetry migrations use a different key.</summary>
    private const long WriteLockKey = 0x616c65727473;

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE incidents (
            id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant          text    NOT NULL,
            agent_id        text    NOT NULL,
            source          text    NOT NULL,
            incident_key    text    NOT NULL,
            rule            text,
            tag             text,
            severity        bigint  NOT NULL,
            state           text    NOT NULL,
            level           bigint  NOT NULL,
            message         text    NOT NULL,
            opened_at       bigint  NOT NULL,
            last_event_at   bigint  NOT NULL,
            acknowledged_at bigint,
            acknowledged_by text,
            snoozed_until   bigint,
            resolved_at     bigint,
            revision        bigint  NOT NULL
        );
        -- The dedupe rule: one unresolved incident per (tenant, agent, key).
        CREATE UNIQUE INDEX incidents_one_unresolved ON incidents (tenant, agent_id, incident_key) WHERE state <> 'resolved';
        CREATE UNIQUE INDEX incidents_by_revision ON incidents (revision);
        CREATE INDEX incidents_by_tenant ON incidents (tenant, opened_at);
        CREATE TABLE incident_alarm_cursors (agent_id text NOT NULL PRIMARY KEY, event_no bigint NOT NULL);
        CREATE TABLE alert_configs (
            tenant     text   NOT NULL,
            kind       text   NOT NULL,
            id         text   NOT NULL,
            body       text   NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (tenant, kind, id)
        );
        """,
    ];

    private readonly NpgsqlDataSource _dataSource;

    private PostgresAlertStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <inheritdoc />
    protected override IReadOnlyList<string> MigrationSteps => Steps;

    /// <summary>Connects with <paramref name="connectionString"/> and migrates the alert tables.</summary>
    public static async Task<PostgresAlertStore> OpenAsync(string connectionString, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var store = new PostgresAlertStore(NpgsqlDataSource.Create(connectionString));
        try
        {
            await store.MigrateAsync(now, cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc />
    protected override async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var scope = new WriteScope(connection, transaction, null);
            await scope.ExecuteAsync($"SELECT pg_advisory_xact_lock({WriteLockKey})", cancellationToken);
            return scope;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
