using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Npgsql;

namespace EdgeCloud.Hub.Storage.Postgres;

/// <summary>Alarm events: inserted by the batch's finishing round trip, read with one query.</summary>
internal sealed partial class PostgresTelemetryStore : IAlarmEventStore
{
    /// <summary>
    /// Adds the batch's events to its finishing round trip (same transaction as its sequence) as one statement:
    /// unnest turns the parallel arrays into rows, so a batch of many events costs one command, not one each.
    /// DO NOTHING also skips a second row of the same event number inside the one statement.
    /// </summary>
    internal static void AddAlarms(NpgsqlBatch batch, string agentId, TelemetryBatch telemetry)
    {
        var alarms = telemetry.Alarms;
        if (alarms.Count == 0)
        {
            return;
        }

        batch.BatchCommands.Add(PostgresIngestSteps.Command(
            """
            INSERT INTO alarm_events (agent_id, sequence, idx, event_no, alarm_id, tag, state, severity, ts, body)
            SELECT $1, $2, * FROM unnest($3::integer[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::bytea[])
            ON CONFLICT DO NOTHING
            """,
            agentId,
            (long)telemetry.Sequence,
            Enumerable.Range(0, alarms.Count).ToArray(),
            alarms.Select(a => (long)a.EventNumber).ToArray(),
            alarms.Select(a => a.AlarmId).ToArray(),
            alarms.Select(a => a.Tag).ToArray(),
            alarms.Select(a => a.State).ToArray(),
            alarms.Select(a => (long)a.Severity).ToArray(),
            alarms.Select(a => (long)Math.Min(a.TimeUnixNano, long.MaxValue)).ToArray(),
            alarms.Select(a => a.ToByteArray()).ToArray()));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredAlarmEvent>> ListAlarmEventsAsync(
        string agentId, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var query = new NpgsqlCommand(
            "SELECT sequence, body FROM alarm_events WHERE agent_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts DESC, sequence DESC, idx DESC LIMIT $4",
            connection);
        query.Parameters.Add(new NpgsqlParameter { Value = agentId });
        query.Parameters.Add(new NpgsqlParameter { Value = fromUnixNano });
        query.Parameters.Add(new NpgsqlParameter { Value = toUnixNano });
        query.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAlarmEventsAsync(query, agentId, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredAlarmEvent>> ListAlarmEventsAfterAsync(
        string agentId, ulong afterEventNumber, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var query = new NpgsqlCommand(
            "SELECT sequence, body FROM alarm_events WHERE agent_id = $1 AND event_no > $2 ORDER BY event_no LIMIT $3", connection);
        query.Parameters.Add(new NpgsqlParameter { Value = agentId });
        query.Parameters.Add(new NpgsqlParameter { Value = (long)Math.Min(afterEventNumber, long.MaxValue) });
        query.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAlarmEventsAsync(query, agentId, cancellationToken);
    }

    /// <summary>Reads (sequence, body) rows into events of <paramref name="agentId"/>.</summary>
    private static async Task<IReadOnlyList<StoredAlarmEvent>> ReadAlarmEventsAsync(NpgsqlCommand query, string agentId, CancellationToken cancellationToken)
    {
        var events = new List<StoredAlarmEvent>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredAlarmEvent(agentId, (ulong)reader.GetInt64(0), AlarmEvent.Parser.ParseFrom((byte[])reader.GetValue(1))));
        }

        return events;
    }
}
