using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>
/// The SQLite schema as an ordered list of steps; step i brings the database to version i + 1. Released
/// steps are never edited, only appended to, so that every database reaches the same shape.
/// All times are Unix nanoseconds (INTEGER); sequences are INTEGER (validated to fit a signed 64-bit).
/// </summary>
internal static class SqliteMigrations
{
    private const string Version1 = """
        CREATE TABLE agents (
            agent_id         TEXT    NOT NULL PRIMARY KEY,
            first_seen       INTEGER NOT NULL,
            last_seen        INTEGER NOT NULL,
            agent_version    TEXT    NOT NULL DEFAULT '',
            highest_sequence INTEGER NOT NULL DEFAULT 0,
            batches          INTEGER NOT NULL DEFAULT 0,
            points           INTEGER NOT NULL DEFAULT 0,
            dropped_points   INTEGER NOT NULL DEFAULT 0
        );
        -- One row per stored batch: the dedupe key. Written in the same transaction as its points.
        CREATE TABLE batches (
            agent_id       TEXT    NOT NULL REFERENCES agents(agent_id),
            sequence       INTEGER NOT NULL,
            received_at    INTEGER NOT NULL,
            point_count    INTEGER NOT NULL,
            dropped_before INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (agent_id, sequence)
        ) WITHOUT ROWID;
        -- value_kind is the wire oneof case (0 none, 3 number, 4 integer, 5 flag, 6 text): field numbers
        -- never change (sync.proto). Integers and flags live in int_num so int64 stays exact. SQLite has
        -- no NaN: a number with num NULL is NaN.
        -- No foreign key here: it would cost a lookup per point on the hot path; batches carries it.
        CREATE TABLE points (
            agent_id   TEXT    NOT NULL,
            tag        TEXT    NOT NULL,
            ts         INTEGER NOT NULL,
            value_kind INTEGER NOT NULL,
            num        REAL,
            int_num    INTEGER,
            txt        TEXT,
            quality    INTEGER NOT NULL,
            detail     INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_points_agent_tag_ts ON points (agent_id, tag, ts);
        CREATE TABLE gaps (
            agent_id    TEXT    NOT NULL REFERENCES agents(agent_id),
            from_seq    INTEGER NOT NULL,
            to_seq      INTEGER NOT NULL,
            detected_at INTEGER NOT NULL,
            filled_at   INTEGER,
            PRIMARY KEY (agent_id, from_seq)
        );
        CREATE INDEX ix_gaps_open ON gaps (agent_id, to_seq) WHERE filled_at IS NULL;
        """;

    /// <summary>The steps, oldest first.</summary>
    // Version 2: the outbox epoch of the agent's stored sequences (see ITelemetryStore.IngestAsync).
    private const string Version2 = """
        ALTER TABLE agents ADD COLUMN outbox_epoch TEXT NOT NULL DEFAULT '';
        """;

    public static IReadOnlyList<string> Steps { get; } = [Version1, Version2];

    /// <summary>The version a fully migrated database has.</summary>
    public static int LatestVersion => Steps.Count;

    /// <summary>
    /// Brings the database to <see cref="LatestVersion"/> in one transaction and returns the versions it
    /// applied (none when already current). Refuses a database newer than this build.
    /// </summary>
    public static IReadOnlyList<int> Apply(SqliteConnection connection, long nowUnixNano)
    {
        // BEGIN IMMEDIATE: two hubs started on one folder cannot both migrate.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)");

        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"the database has schema version {current} but this hub knows only up to {LatestVersion}: run a newer hub or restore a backup");
        }

        var applied = new List<int>();
        for (var version = current + 1; version <= LatestVersion; version++)
        {
            Execute(connection, transaction, Steps[version - 1]);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$at", nowUnixNano);
            record.ExecuteNonQuery();
            applied.Add(version);
        }

        transaction.Commit();
        return applied;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
