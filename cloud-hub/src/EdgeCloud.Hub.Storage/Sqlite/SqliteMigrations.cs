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

    // Version 3: the series catalog (what retention walks) and the 1-minute and 1-hour rollups, backfilled
    // from the points already stored. Values as BatchRollup.TryValue counts them: good quality, finite
    // numbers, integers and flags (int_num) as REAL; NaN is a NULL num, infinities lie outside +-DBL_MAX.
    private const string Version3 = """
        CREATE TABLE series (
            agent_id TEXT NOT NULL,
            tag      TEXT NOT NULL,
            PRIMARY KEY (agent_id, tag)
        ) WITHOUT ROWID;
        INSERT INTO series (agent_id, tag) SELECT DISTINCT agent_id, tag FROM points;
        """ + RollupTable + "rollup_1m" + RollupColumns + Backfill1m + RollupTable + "rollup_1h" + RollupColumns + Backfill1h;

    // Version 4: alarm events, written with their batch (the encoded event whole, key columns beside it).
    private const string Version4 = """
        CREATE TABLE alarm_events (
            agent_id TEXT    NOT NULL,
            sequence INTEGER NOT NULL,
            idx      INTEGER NOT NULL,
            event_no INTEGER NOT NULL,
            alarm_id TEXT    NOT NULL,
            tag      TEXT    NOT NULL,
            state    TEXT    NOT NULL,
            severity INTEGER NOT NULL,
            ts       INTEGER NOT NULL,
            body     BLOB    NOT NULL,
            PRIMARY KEY (agent_id, sequence, idx)
        ) WITHOUT ROWID;
        CREATE INDEX alarm_events_by_time ON alarm_events (agent_id, ts);
        -- An event the agent sent twice (the disk budget may move one above a drop) is stored once.
        CREATE UNIQUE INDEX alarm_events_once ON alarm_events (agent_id, event_no);
        """;

    // Version 5: raw points an agent compacted into rollups before sending (its disk budget); the
    // compacted batch's own row in batches has point_count 0 and this count.
    private const string Version5 = """
        ALTER TABLE agents ADD COLUMN compacted_points INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE batches ADD COLUMN compacted_points INTEGER NOT NULL DEFAULT 0;
        """;

    // Version 6: raw points as blocks (see PointBlockCodec and docs/hub-storage.md). A series gets an integer id;
    // a block holds one batch's points of one series, keyed by its earliest time and an arrival number
    // (block_clock hands them out), so (first_ts, block_no) then the position inside the body is the
    // order "time, then arrival". ConvertPoints moves the rows of the old points table into blocks and drops it.
    private const string Version6 = """
        CREATE TABLE series_ids (
            series_id INTEGER PRIMARY KEY,
            agent_id  TEXT    NOT NULL,
            tag       TEXT    NOT NULL,
            UNIQUE (agent_id, tag)
        );
        CREATE TABLE point_blocks (
            series_id   INTEGER NOT NULL,
            first_ts    INTEGER NOT NULL,
            block_no    INTEGER NOT NULL,
            last_ts     INTEGER NOT NULL,
            point_count INTEGER NOT NULL,
            body        BLOB    NOT NULL,
            PRIMARY KEY (series_id, first_ts, block_no)
        ) WITHOUT ROWID;
        CREATE TABLE block_clock (
            id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            next_block INTEGER NOT NULL
        );
        INSERT INTO block_clock (id, next_block) VALUES (1, 1);
        """;

    private const string RollupTable = "CREATE TABLE ";

    private const string RollupColumns = """
         (
            agent_id TEXT    NOT NULL,
            tag      TEXT    NOT NULL,
            bucket   INTEGER NOT NULL,
            cnt      INTEGER NOT NULL,
            vmin     REAL    NOT NULL,
            vmax     REAL    NOT NULL,
            vsum     REAL    NOT NULL,
            vlast    REAL    NOT NULL,
            last_ts  INTEGER NOT NULL,
            PRIMARY KEY (agent_id, tag, bucket)
        ) WITHOUT ROWID;

        """;

    private const string Countable = """
        (SELECT agent_id, tag, ts, rowid AS r,
                CASE value_kind WHEN 3 THEN num WHEN 4 THEN CAST(int_num AS REAL) WHEN 5 THEN CAST(int_num AS REAL) END AS v
         FROM points WHERE quality = 0)
        WHERE v IS NOT NULL AND v BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308
        """;

    private const string Backfill1m = "INSERT INTO rollup_1m SELECT agent_id, tag, ts - (((ts % 60000000000) + 60000000000) % 60000000000) AS b, COUNT(*), MIN(v), MAX(v), SUM(v), 0, MAX(ts) FROM "
        + Countable + " GROUP BY agent_id, tag, b;\n"
        + "UPDATE rollup_1m SET vlast = (SELECT v FROM " + Countable + " AND agent_id = rollup_1m.agent_id AND tag = rollup_1m.tag AND ts = rollup_1m.last_ts ORDER BY r DESC LIMIT 1);\n";

    private const string Backfill1h = "INSERT INTO rollup_1h SELECT agent_id, tag, ts - (((ts % 3600000000000) + 3600000000000) % 3600000000000) AS b, COUNT(*), MIN(v), MAX(v), SUM(v), 0, MAX(ts) FROM "
        + Countable + " GROUP BY agent_id, tag, b;\n"
        + "UPDATE rollup_1h SET vlast = (SELECT v FROM " + Countable + " AND agent_id = rollup_1h.agent_id AND tag = rollup_1h.tag AND ts = rollup_1h.last_ts ORDER BY r DESC LIMIT 1);\n";

    public static IReadOnlyList<string> Steps { get; } = [Version1, Version2, Version3, Version4, Version5, Version6];

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
            if (version == 6)
            {
                SqliteBlockMigration.ConvertPoints(connection, transaction);
            }

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
