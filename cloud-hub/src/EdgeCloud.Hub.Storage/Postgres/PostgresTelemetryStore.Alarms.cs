using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Npgsql;

namespace EdgeCloud.Hub.Storage.Postgres;

/// <summary>Alarm events: inserted by the batch's finishing round trip, read with one query.</summary>
internal sealed partial class PostgresTelemetryStore : IAlarmEventStore
{
    /// <summary>Adds the batch's events to its finishing round trip (same transaction as its sequence).</summary>
    internal static void AddAlarms(NpgsqlBatch batch, string agentId, TelemetryBatch telemetry)
    {
        for (var i = 0; i < telemetry.Alarms.Count; i++)
        {
            var alarm = telemetry.Alarms[i];
            batch.BatchCommands.Add(PostgresIngestSteps.Command(
                "INSERT INTO alarm_events (agent_id, sequence, idx, event_no, alarm_id, tag, state, severity, ts, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
                agentId, (long)telemetry.Sequence, i, (long)alarm.EventNumber, alarm.AlarmId, alarm.Tag, alarm.State, (long)alarm.Severity,
                (long)Math.Min(alarm.TimeUnixNano, long.MaxValue), alarm.ToByteArray()));
        }
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
