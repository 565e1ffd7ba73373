using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>Alarm events: written by the batch's own ingest step, read on a reader connection.</summary>
internal sealed partial class SqliteTelemetryStore : IAlarmEventStore
{
    /// <summary>
    /// Inside the batch's transaction: one row per event, the encoded event kept whole, through the writer's
    /// prepared statement (a batch of many events parses the SQL once).
    /// </summary>
    private void InsertAlarms(string agentId, TelemetryBatch batch)
    {
        for (var i = 0; i < batch.Alarms.Count; i++)
        {
            var alarm = batch.Alarms[i];
            _commands.InsertAlarm(
                agentId, (long)batch.Sequence, i, (long)alarm.EventNumber, alarm.AlarmId, alarm.Tag, alarm.State, (long)alarm.Severity,
                (long)Math.Min(alarm.TimeUnixNano, long.MaxValue), alarm.ToByteArray());
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredAlarmEvent>> ListAlarmEventsAsync(
        string agentId, long fromUnixNano, long toUnixNano, int limit, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidAgent(agentId);
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT sequence, body FROM alarm_events WHERE agent_id = $a AND ts >= $from AND ts < $to ORDER BY ts DESC, sequence DESC, idx DESC LIMIT $limit";
        query.Parameters.AddWithValue("$a", agentId);
        query.Parameters.AddWithValue("$from", fromUnixNano);
        query.Parameters.AddWithValue("$to", toUnixNano);
        query.Parameters.AddWithValue("$limit", limit);
        return await ReadAlarmEventsAsync(query, agentId, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredAlarmEvent>> ListAlarmEventsAfterAsync(
        string agentId, ulong afterEventNumber, int limit, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalidAgent(agentId);
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT sequence, body FROM alarm_events WHERE agent_id = $a AND event_no > $after ORDER BY event_no LIMIT $limit";
        query.Parameters.AddWithValue("$a", agentId);
        query.Parameters.AddWithValue("$after", (long)Math.Min(afterEventNumber, long.MaxValue));
        query.Parameters.AddWithValue("$limit", limit);
        return await ReadAlarmEventsAsync(query, agentId, cancellationToken);
    }

    /// <summary>Reads (sequence, body) rows into events of <paramref name="agentId"/>.</summary>
    private static async Task<IReadOnlyList<StoredAlarmEvent>> ReadAlarmEventsAsync(System.Data.Common.DbCommand query, string agentId, CancellationToken cancellationToken)
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
