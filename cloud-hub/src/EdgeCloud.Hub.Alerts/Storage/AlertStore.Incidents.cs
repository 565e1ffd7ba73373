using System.Data.Common;
using EdgeCloud.Hub.Alerts.Incidents;

namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>Incidents and the per-agent alarm cursor.</summary>
internal abstract partial class AlertStore
{
    private const string Columns =
        "id, tenant, agent_id, source, incident_key, rule, tag, severity, state, level, message, opened_at, last_event_at, acknowledged_at, acknowledged_by, snoozed_until, resolved_at, revision";

    private const string NextRevision = "(SELECT COALESCE(MAX(revision), 0) + 1 FROM incidents)";

    /// <inheritdoc />
    public async Task<(IncidentRecord Incident, bool Opened)> RaiseAsync(IncidentRecord draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var write = await BeginWriteAsync(cancellationToken);
        var existing = await ReadOneAsync(
            write.Connection, write.Transaction,
            $"SELECT {Columns} FROM incidents WHERE tenant = @t AND agent_id = @a AND incident_key = @k AND state <> 'resolved'",
            cancellationToken, ("t", draft.Tenant), ("a", draft.AgentId), ("k", draft.Key));
        IncidentRecord stored;
        if (existing is not null)
        {
            stored = (await ReadOneAsync(
                write.Connection, write.Transaction,
                $"UPDATE incidents SET message = @m, severity = @s, last_event_at = @e, revision = {NextRevision} WHERE id = @id RETURNING {Columns}",
                cancellationToken, ("m", draft.Message), ("s", (long)draft.Severity), ("e", Millis(draft.LastEventAt)), ("id", existing.Id)))!;
        }
        else
        {
            stored = (await ReadOneAsync(
                write.Connection, write.Transaction,
                $"""
                INSERT INTO incidents (tenant, agent_id, source, incident_key, rule, tag, severity, state, level, message, opened_at, last_event_at, revision)
                VALUES (@t, @a, @src, @k, @r, @tag, @s, @state, @l, @m, @o, @e, {NextRevision}) RETURNING {Columns}
                """,
                cancellationToken,
                ("t", draft.Tenant), ("a", draft.AgentId), ("src", draft.Source), ("k", draft.Key), ("r", draft.Rule), ("tag", draft.Tag),
                ("s", (long)draft.Severity), ("state", draft.State), ("l", (long)draft.Level), ("m", draft.Message), ("o", Millis(draft.OpenedAt)), ("e", Millis(draft.LastEventAt))))!;
        }

        await write.CommitAsync(cancellationToken);
        return (stored, existing is null);
    }

    /// <inheritdoc />
    public async Task<IncidentRecord?> FindUnresolvedAsync(string tenant, string agentId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadOneAsync(
            connection, null, $"SELECT {Columns} FROM incidents WHERE tenant = @t AND agent_id = @a AND incident_key = @k AND state <> 'resolved'",
            cancellationToken, ("t", tenant), ("a", agentId), ("k", key));
    }

    /// <inheritdoc />
    public async Task<IncidentRecord?> GetAsync(string tenant, long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadOneAsync(connection, null, $"SELECT {Columns} FROM incidents WHERE tenant = @t AND id = @id", cancellationToken, ("t", tenant), ("id", id));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IncidentRecord>> ListAsync(string tenant, string? state, string? agentId, int limit, CancellationToken cancellationToken)
    {
        // Filters are added to the text rather than written as "@x IS NULL OR ...": PostgreSQL cannot type a null parameter there.
        var sql = $"SELECT {Columns} FROM incidents WHERE tenant = @t"
            + (state is null ? "" : " AND state = @state")
            + (agentId is null ? "" : " AND agent_id = @a")
            + " ORDER BY opened_at DESC, id DESC LIMIT @limit";
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAllAsync(connection, sql, cancellationToken, ("t", tenant), ("state", state), ("a", agentId), ("limit", (long)limit));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IncidentRecord>> ListChangedAsync(string tenant, long afterRevision, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAllAsync(
            connection, $"SELECT {Columns} FROM incidents WHERE tenant = @t AND revision > @r ORDER BY revision LIMIT @limit",
            cancellationToken, ("t", tenant), ("r", afterRevision), ("limit", (long)limit));
    }

    /// <inheritdoc />
    public async Task<long> GetLatestRevisionAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT COALESCE(MAX(revision), 0) FROM incidents WHERE tenant = @t", ("t", tenant));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IncidentRecord>> ListUnresolvedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAllAsync(connection, $"SELECT {Columns} FROM incidents WHERE state <> 'resolved' ORDER BY id", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IncidentRecord?> UpdateAsync(IncidentRecord changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        await using var write = await BeginWriteAsync(cancellationToken);
        var stored = await ReadOneAsync(
            write.Connection, write.Transaction,
            $"""
            UPDATE incidents SET state = @state, level = @l, message = @m, severity = @s, last_event_at = @e, acknowledged_at = @ack, acknowledged_by = @by,
                snoozed_until = @snooze, resolved_at = @res, revision = {NextRevision}
            WHERE id = @id AND tenant = @t AND revision = @rev RETURNING {Columns}
            """,
            cancellationToken,
            ("state", changed.State), ("l", (long)changed.Level), ("m", changed.Message), ("s", (long)changed.Severity), ("e", Millis(changed.LastEventAt)),
            ("ack", Millis(changed.AcknowledgedAt)), ("by", changed.AcknowledgedBy), ("snooze", Millis(changed.SnoozedUntil)), ("res", Millis(changed.ResolvedAt)),
            ("id", changed.Id), ("t", changed.Tenant), ("rev", changed.Revision));
        await write.CommitAsync(cancellationToken);
        return stored;
    }

    /// <inheritdoc />
    public async Task<ulong> GetAlarmCursorAsync(string agentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT event_no FROM incident_alarm_cursors WHERE agent_id = @a", ("a", agentId));
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? (ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <inheritdoc />
    public async Task SetAlarmCursorAsync(string agentId, ulong eventNumber, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken);
        await write.ExecuteAsync(
            "INSERT INTO incident_alarm_cursors (agent_id, event_no) VALUES (@a, @n) ON CONFLICT (agent_id) DO UPDATE SET event_no = excluded.event_no",
            cancellationToken, ("a", agentId), ("n", (long)Math.Min(eventNumber, long.MaxValue)));
        await write.CommitAsync(cancellationToken);
    }

    private static async Task<IncidentRecord?> ReadOneAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static async Task<IReadOnlyList<IncidentRecord>> ReadAllAsync(
        DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        // Parameters the text does not use (filters left out) are not sent: PostgreSQL refuses unused ones.
        await using var command = Command(connection, null, sql, [.. parameters.Where(p => sql.Contains("@" + p.Name, StringComparison.Ordinal))]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var incidents = new List<IncidentRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            incidents.Add(Read(reader));
        }

        return incidents;
    }

    private static IncidentRecord Read(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        (int)r.GetInt64(7),
        r.GetString(8),
        (int)r.GetInt64(9),
        r.GetString(10),
        Time(r.GetInt64(11)),
        Time(r.GetInt64(12)),
        r.IsDBNull(13) ? null : Time(r.GetInt64(13)),
        r.IsDBNull(14) ? null : r.GetString(14),
        r.IsDBNull(15) ? null : Time(r.GetInt64(15)),
        r.IsDBNull(16) ? null : Time(r.GetInt64(16)),
        r.GetInt64(17));

    private static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static long? Millis(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
