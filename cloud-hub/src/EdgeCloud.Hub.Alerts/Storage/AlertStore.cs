using System.Data.Common;

namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>
/// The alert store over plain ADO.NET, shared by the SQLite and PostgreSQL backends: both take the same SQL
/// (named <c>@</c> parameters, <c>RETURNING</c>, <c>ON CONFLICT</c>, partial unique indexes), so only opening a
/// connection, serializing writers and the DDL differ. Every write runs in a transaction that excludes all other
/// writers (an in-process lock with <c>BEGIN IMMEDIATE</c> on SQLite; a transaction-scoped advisory lock on
/// PostgreSQL, so replicas sharing the database serialize too): the next revision is read as MAX + 1 inside it,
/// so revisions become visible in the order they were taken and a change feed never skips one.
/// </summary>
internal abstract partial class AlertStore : IIncidentStore, IAlertConfigStore
{
    /// <summary>Opens a connection for reading.</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Opens a connection with a transaction that excludes every other writer until disposed.</summary>
    protected abstract Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>The DDL steps of this backend; step i brings the schema to version i + 1.</summary>
    protected abstract IReadOnlyList<string> MigrationSteps { get; }

    /// <summary>Creates or upgrades the schema; returns the versions applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken);
        await write.ExecuteAsync("CREATE TABLE IF NOT EXISTS alerts_schema_version (version integer NOT NULL PRIMARY KEY, applied_at bigint NOT NULL)", cancellationToken);
        var current = Convert.ToInt32(await write.ScalarAsync("SELECT COALESCE(MAX(version), 0) FROM alerts_schema_version", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (current > MigrationSteps.Count)
        {
            throw new InvalidOperationException(
                $"the alert tables have schema version {current} but this hub knows only up to {MigrationSteps.Count}: run a newer hub or restore a backup");
        }

        var applied = new List<int>();
        for (var version = current + 1; version <= MigrationSteps.Count; version++)
        {
            await write.ExecuteAsync(MigrationSteps[version - 1], cancellationToken);
            await write.ExecuteAsync("INSERT INTO alerts_schema_version (version, applied_at) VALUES (@v, @t)", cancellationToken, ("v", (long)version), ("t", now.ToUnixTimeMilliseconds()));
            applied.Add(version);
        }

        await write.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>A command on <paramref name="connection"/> with named parameters (null becomes DBNull).</summary>
    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
