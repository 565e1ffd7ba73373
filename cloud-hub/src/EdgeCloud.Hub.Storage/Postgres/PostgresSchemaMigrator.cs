using Npgsql;

namespace EdgeCloud.Hub.Storage.Postgres;

/// <summary>
/// Runs an ordered list of schema steps (step i brings the schema to version i + 1) in one transaction under a
/// PostgreSQL advisory lock, recording each in a version table: replicas that start together queue on the lock
/// and the second finds the schema current. Shared by the telemetry store and the fleet store, each with its own
/// lock key and version table, so their schemas evolve independently in one database.
/// </summary>
internal static class PostgresSchemaMigrator
{
    /// <summary>
    /// Brings the schema to <c>steps.Count</c> and returns the versions applied (none when already current).
    /// <paramref name="schema"/> (created when missing) holds the version table; null means the search path's.
    /// Refuses a database whose version is newer than this build knows.
    /// </summary>
    public static IReadOnlyList<int> Apply(NpgsqlConnection connection, long lockKey, string? schema, IReadOnlyList<string> steps, long nowUnixNano)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(steps);
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({lockKey})");
        var versionTable = "schema_version";
        if (schema is not null)
        {
            Execute(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {schema}");
            versionTable = schema + ".schema_version";
        }

        Execute(connection, transaction, $"CREATE TABLE IF NOT EXISTS {versionTable} (version integer NOT NULL PRIMARY KEY, applied_at bigint NOT NULL)");
        using var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {versionTable}", connection, transaction);
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > steps.Count)
        {
            throw new InvalidOperationException(
                $"the database has {versionTable} {current} but this hub knows only up to {steps.Count}: run a newer hub or restore a backup");
        }

        var applied = new List<int>();
        for (var version = current + 1; version <= steps.Count; version++)
        {
            Execute(connection, transaction, steps[version - 1]);
            using var record = new NpgsqlCommand($"INSERT INTO {versionTable} (version, applied_at) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
            record.Parameters.Add(new NpgsqlParameter<long> { TypedValue = nowUnixNano });
            record.ExecuteNonQuery();
            applied.Add(version);
        }

        transaction.Commit();
        return applied;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
