namespace EdgeCloud.Hub.Fleet.Storage.Postgres;

/// <summary>
/// The fleet's PostgreSQL schema (schema <c>fleet</c>, beside the telemetry tables in the same database) as
/// ordered steps; released steps are never edited, only appended to. Same tables and rules as
/// <c>fleet.db</c>: times are .NET UTC ticks (bigint), labels and groups are text arrays, the audit log
/// refuses UPDATE and DELETE. <c>replicas</c> and <c>presence</c> exist only here: they let replicas see
/// which one holds each agent's stream.
/// </summary>
internal static class PostgresFleetMigrations
{
    /// <summary>The advisory lock key of fleet migrations ("EdgeFlt1" in ASCII), distinct from the telemetry store's.</summary>
    public const long AdvisoryLockKey = 0x4564_6765_466C_7431;

    public const string Schema = "fleet";

    private const string Version1 = """
        CREATE TABLE fleet.tenants (id text PRIMARY KEY, name text NOT NULL, created_at bigint NOT NULL);
        CREATE TABLE fleet.users (id text PRIMARY KEY, tenant text NOT NULL, name text NOT NULL, role text NOT NULL, created_at bigint NOT NULL);
        CREATE INDEX users_tenant ON fleet.users (tenant);
        CREATE TABLE fleet.api_keys (hash text PRIMARY KEY, id text NOT NULL, user_id text NOT NULL, created_at bigint NOT NULL);
        CREATE TABLE fleet.enrollment_tokens (hash text PRIMARY KEY, id text NOT NULL, tenant text NOT NULL, labels text[] NOT NULL,
            expires_at bigint NOT NULL, used_at bigint, created_by text NOT NULL);
        CREATE TABLE fleet.agents (agent_id text PRIMARY KEY, tenant text NOT NULL, labels text[] NOT NULL, groups text[] NOT NULL,
            serial text NOT NULL, thumbprint text NOT NULL, not_after bigint NOT NULL, enrolled_at bigint NOT NULL, revoked_at bigint);
        CREATE INDEX agents_tenant ON fleet.agents (tenant);
        CREATE TABLE fleet.certificates (serial text PRIMARY KEY, agent_id text NOT NULL, thumbprint text NOT NULL, not_after bigint NOT NULL);
        CREATE INDEX certificates_agent ON fleet.certificates (agent_id);
        CREATE TABLE fleet.audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, time bigint NOT NULL, actor text NOT NULL, tenant text NOT NULL,
            action text NOT NULL, target text NOT NULL, result text NOT NULL, detail text);
        CREATE INDEX audit_tenant ON fleet.audit (tenant, id);
        CREATE FUNCTION fleet.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
        CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON fleet.audit FOR EACH ROW EXECUTE FUNCTION fleet.audit_append_only();
        CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON fleet.audit FOR EACH STATEMENT EXECUTE FUNCTION fleet.audit_append_only();
        CREATE TABLE fleet.site_configs (tenant text NOT NULL, kind text NOT NULL, target text NOT NULL, version integer NOT NULL,
            json text NOT NULL, created_by text NOT NULL, created_at bigint NOT NULL, PRIMARY KEY (tenant, kind, target, version));
        CREATE TABLE fleet.config_reports (agent_id text PRIMARY KEY, version text NOT NULL, state text NOT NULL, detail text NOT NULL, time bigint NOT NULL);
        CREATE TABLE fleet.commands (id text PRIMARY KEY, tenant text NOT NULL, agent_id text NOT NULL, kind text NOT NULL, arguments jsonb NOT NULL,
            status text NOT NULL, detail text, created_by text NOT NULL, created_at bigint NOT NULL, deadline bigint NOT NULL);
        CREATE INDEX commands_agent ON fleet.commands (agent_id, status);
        -- Replica liveness on the database's clock (now()), so replicas' clocks need not agree.
        CREATE TABLE fleet.replicas (replica_id text PRIMARY KEY, started_at timestamptz NOT NULL, heartbeat_at timestamptz NOT NULL);
        CREATE TABLE fleet.presence (agent_id text PRIMARY KEY, replica_id text NOT NULL, agent_version text NOT NULL, peer text NOT NULL, connected_at bigint NOT NULL);
        CREATE INDEX presence_replica ON fleet.presence (replica_id);
        """;

    // Rollouts: release keys, artifacts, campaigns and their agents (docs/rollouts.md); health samples are JSON text as in fleet.db.
    private const string Version2 = """
        CREATE TABLE fleet.release_keys (tenant text NOT NULL, id text NOT NULL, name text NOT NULL, pem text NOT NULL,
            created_by text NOT NULL, created_at bigint NOT NULL, PRIMARY KEY (tenant, id));
        CREATE TABLE fleet.artifacts (id text PRIMARY KEY, tenant text NOT NULL, kind text NOT NULL, name text NOT NULL, version text NOT NULL,
            size bigint NOT NULL, sha256 text NOT NULL, chunk_size integer NOT NULL, chunks text[] NOT NULL, signature bytea NOT NULL, key_id text NOT NULL,
            uploaded_by text NOT NULL, uploaded_at bigint NOT NULL);
        CREATE INDEX artifacts_tenant ON fleet.artifacts (tenant);
        CREATE TABLE fleet.campaigns (id text PRIMARY KEY, tenant text NOT NULL, name text NOT NULL, artifact_id text NOT NULL,
            target_labels text[] NOT NULL, target_group text, stages integer[] NOT NULL, soak_seconds integer NOT NULL, failure_threshold double precision NOT NULL,
            health_window_seconds integer NOT NULL, allow_downgrade boolean NOT NULL, poll_error_margin double precision NOT NULL, outbox_margin bigint NOT NULL,
            state text NOT NULL, current_stage integer NOT NULL, accepted_failures integer NOT NULL, detail text, revision bigint NOT NULL,
            created_by text NOT NULL, created_at bigint NOT NULL);
        CREATE INDEX campaigns_tenant ON fleet.campaigns (tenant);
        CREATE INDEX campaigns_state ON fleet.campaigns (state);
        CREATE TABLE fleet.campaign_agents (campaign_id text NOT NULL, agent_id text NOT NULL, stage integer NOT NULL, state text NOT NULL,
            reason text, detail text, running_version text, bytes_done bigint NOT NULL, baseline text, soak_start text, sent_at bigint,
            soak_until bigint, offline_since bigint, PRIMARY KEY (campaign_id, agent_id));
        CREATE INDEX campaign_agents_agent ON fleet.campaign_agents (agent_id);
        """;

    // Retention policies set per tenant through the API (docs/hub-storage.md), a JSON array as in fleet.db.
    private const string Version3 = """
        CREATE TABLE fleet.retention_policies (tenant text PRIMARY KEY, json text NOT NULL, updated_by text NOT NULL, updated_at bigint NOT NULL);
        """;

    // Rollouts: the campaign's report timeout and each agent's last report (docs/rollouts.md, "no_report").
    private const string Version4 = """
        ALTER TABLE fleet.campaigns ADD COLUMN report_timeout_seconds integer NOT NULL DEFAULT 1800;
        ALTER TABLE fleet.campaign_agents ADD COLUMN reported_at bigint;
        """;

    public static IReadOnlyList<string> Steps { get; } = [Version1, Version2, Version3, Version4];
}
