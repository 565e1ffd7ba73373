using Npgsql;

namespace EdgeCloud.Hub.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as an ordered list of steps; step i brings the database to version i + 1. Released
/// steps are never edited, only appended to. Times are Unix nanoseconds (bigint), as in the SQLite store,
/// so both backends answer alike. Every table that holds an agent's data leads with <c>agent_id</c>: on
/// Citus each is distributed by it (see the README), and every ingest statement filters by one agent.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>
    /// The advisory lock key every hub takes while it migrates: replicas that start together queue on it,
    /// and the second finds the schema current. An arbitrary constant ("EdgeHub1" in ASCII).
    /// </summary>
    public const long AdvisoryLockKey = 0x4564_6765_4875_6231;

    private const string Version1 = """
        CREATE TABLE agents (
            agent_id         text   NOT NULL PRIMARY KEY,
            first_seen       bigint NOT NULL,
            last_seen        bigint NOT NULL,
            agent_version    text   NOT NULL DEFAULT '',
            highest_sequence bigint NOT NULL DEFAULT 0,
            batches          bigint NOT NULL DEFAULT 0,
            points           bigint NOT NULL DEFAULT 0,
            dropped_points   bigint NOT NULL DEFAULT 0,
            outbox_epoch     text   NOT NULL DEFAULT ''
        );
        -- The dedupe key: inserted in the same transaction as the batch's points.
        CREATE TABLE batches (
            agent_id       text   NOT NULL,
            sequence       bigint NOT NULL,
            received_at    bigint NOT NULL,
            point_count    integer NOT NULL,
            dropped_before bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (agent_id, sequence)
        );
        -- value_kind is the wire oneof case (0 none, 3 number, 4 integer, 5 flag, 6 text). PostgreSQL keeps
        -- NaN, infinities and -0 in float8. arrival orders equal times by arrival within the agent: the
        -- agent's batch ordinal (counted under its row lock, so replicas agree) times 2^24 plus the point's
        -- index in the batch. Cheaper than an identity column, whose sequence every row would have to touch.
        CREATE TABLE points (
            arrival    bigint   NOT NULL,
            agent_id   text     NOT NULL,
            tag        text     NOT NULL,
            ts         bigint   NOT NULL,
            value_kind smallint NOT NULL,
            num        double precision,
            int_num    bigint,
            txt        text,
            quality    smallint NOT NULL,
            detail     bigint   NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_points_agent_tag_ts ON points (agent_id, tag, ts, arrival);
        CREATE TABLE gaps (
            agent_id    text   NOT NULL,
            from_seq    bigint NOT NULL,
            to_seq      bigint NOT NULL,
            detected_at bigint NOT NULL,
            filled_at   bigint,
            PRIMARY KEY (agent_id, from_seq)
        );
        CREATE INDEX ix_gaps_open ON gaps (agent_id, to_seq) WHERE filled_at IS NULL;
        CREATE TABLE series (
            agent_id text NOT NULL,
            tag      text NOT NULL,
            PRIMARY KEY (agent_id, tag)
        );
        CREATE TABLE rollup_1m (
            agent_id text   NOT NULL,
            tag      text   NOT NULL,
            bucket   bigint NOT NULL,
            cnt      bigint NOT NULL,
            vmin     double precision NOT NULL,
            vmax     double precision NOT NULL,
            vsum     double precision NOT NULL,
            vlast    double precision NOT NULL,
            last_ts  bigint NOT NULL,
            PRIMARY KEY (agent_id, tag, bucket)
        );
        CREATE TABLE rollup_1h (LIKE rollup_1m INCLUDING ALL);
        """;

    // Version 2: alarm events, written with their batch (the encoded event whole, key columns beside it).
    private const string Version2 = """
        CREATE TABLE alarm_events (
            agent_id text     NOT NULL,
            sequence bigint   NOT NULL,
            idx      integer  NOT NULL,
            event_no bigint   NOT NULL,
            alarm_id text     NOT NULL,
            tag      text     NOT NULL,
            state    text     NOT NULL,
            severity bigint   NOT NULL,
            ts       bigint   NOT NULL,
            body     bytea    NOT NULL,
            PRIMARY KEY (agent_id, sequence, idx)
        );
        CREATE INDEX alarm_events_by_time ON alarm_events (agent_id, ts);
        -- An event the agent sent twice (the disk budget may move one above a drop) is stored once.
        CREATE UNIQUE INDEX alarm_events_once ON alarm_events (agent_id, event_no);
        """;

    // Version 3: raw points an agent compacted into rollups before sending (its disk budget); the
    // compacted batch's own row in batches has point_count 0 and this count.
    private const string Version3 = """
        ALTER TABLE agents ADD COLUMN compacted_points bigint NOT NULL DEFAULT 0;
        ALTER TABLE batches ADD COLUMN compacted_points bigint NOT NULL DEFAULT 0;
        """;

    public static IReadOnlyList<string> Steps { get; } = [Version1, Version2, Version3];

    /// <summary>The version a fully migrated database has.</summary>
    public static int LatestVersion => Steps.Count;

    /// <summary>
    /// Brings the database to <see cref="LatestVersion"/> in one transaction under the advisory lock and returns
    /// the versions it applied (none when already current). Refuses a database newer than this build.
    /// </summary>
    public static IReadOnlyList<int> Apply(NpgsqlConnection connection, long nowUnixNano) =>
        PostgresSchemaMigrator.Apply(connection, AdvisoryLockKey, null, Steps, nowUnixNano);
}
