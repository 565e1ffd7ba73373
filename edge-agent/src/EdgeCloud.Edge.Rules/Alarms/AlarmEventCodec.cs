using EdgeCloud.Edge.Outbox;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>
/// Alarm events in the outbox: one <see cref="AlarmEvent"/> per <see cref="OutboxBatchKind.Event"/>
/// batch, stored as a <see cref="TelemetryBatch"/> whose <c>alarms</c> hold it and which has no
/// points (sequence left 0: the outbox numbers the batch, sync sets it on the way out). So one
/// acknowledged sequence is one event, and it reaches the hub on the very path telemetry takes,
/// exactly once; the hub also drops an event number it already stored. State and kind travel as lower-case words
/// (<c>cleared-unacknowledged</c>), times as Unix nanoseconds.
/// </summary>
public static class AlarmEventCodec
{
    /// <summary>The outbox batch of <paramref name="record"/>, sealed at <paramref name="sealedAt"/>.</summary>
    public static OutboxBatch ToBatch(AlarmEventRecord record, DateTimeOffset sealedAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        var sealedAtNano = UnixNano(sealedAt);
        var batch = new TelemetryBatch { SealedUnixNano = (ulong)sealedAtNano, Alarms = { ToWire(record) } };
        return new OutboxBatch(OutboxBatchKind.Event, 1, sealedAtNano, batch.ToByteArray());
    }

    /// <summary>Reads the event of an <see cref="OutboxBatchKind.Event"/> batch's payload (see <see cref="ToBatch"/>).</summary>
    public static AlarmEventRecord FromBatch(ReadOnlySpan<byte> payload)
    {
        var batch = TelemetryBatch.Parser.ParseFrom(payload);
        return batch.Alarms.Count == 1
            ? FromWire(batch.Alarms[0])
            : throw new FormatException($"an event batch holds exactly one alarm event, not {batch.Alarms.Count}");
    }

    /// <summary>The wire form of <paramref name="record"/>.</summary>
    public static byte[] Encode(AlarmEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ToWire(record).ToByteArray();
    }

    private static AlarmEvent ToWire(AlarmEventRecord record) =>
        new()
        {
            EventNumber = record.EventNumber,
            Kind = KindName(record.Kind),
            AlarmId = record.AlarmId,
            Rule = record.Rule,
            Tag = record.Tag,
            State = StateName(record.State),
            Severity = (uint)record.Severity,
            TimeUnixNano = (ulong)UnixNano(record.Time),
            Message = record.Message,
            Value = record.Value,
            ShelvedUntilUnixNano = record.ShelvedUntil is { } s ? (ulong)UnixNano(s) : 0,
            SuppressedUntilUnixNano = record.SuppressedUntil is { } u ? (ulong)UnixNano(u) : 0,
            User = record.User,
        };

    /// <summary>Reads an event back; throws <see cref="InvalidProtocolBufferException"/> or <see cref="FormatException"/> on bad bytes.</summary>
    public static AlarmEventRecord Decode(ReadOnlySpan<byte> payload) => FromWire(AlarmEvent.Parser.ParseFrom(payload));

    private static AlarmEventRecord FromWire(AlarmEvent wire) =>
        new(
            wire.EventNumber,
            ParseKind(wire.Kind),
            wire.AlarmId,
            wire.Rule,
            wire.Tag,
            ParseState(wire.State),
            (int)wire.Severity,
            FromUnixNano(wire.TimeUnixNano),
            wire.Message,
            wire.Value,
            wire.ShelvedUntilUnixNano == 0 ? null : FromUnixNano(wire.ShelvedUntilUnixNano),
            wire.SuppressedUntilUnixNano == 0 ? null : FromUnixNano(wire.SuppressedUntilUnixNano),
            wire.User);

    /// <summary>The wire word of a state.</summary>
    public static string StateName(AlarmState state) => state switch
    {
        AlarmState.Active => "active",
        AlarmState.Acknowledged => "acknowledged",
        AlarmState.ClearedUnacknowledged => "cleared-unacknowledged",
        _ => "cleared",
    };

    /// <summary>The wire word of an event kind.</summary>
    public static string KindName(AlarmEventKind kind) => kind.ToString().ToLowerInvariant();

    private static AlarmState ParseState(string text) => text switch
    {
        "active" => AlarmState.Active,
        "acknowledged" => AlarmState.Acknowledged,
        "cleared-unacknowledged" => AlarmState.ClearedUnacknowledged,
        "cleared" => AlarmState.Cleared,
        _ => throw new FormatException($"unknown alarm state '{text}'"),
    };

    private static AlarmEventKind ParseKind(string text) =>
        Enum.TryParse<AlarmEventKind>(text, ignoreCase: true, out var kind) && KindName(kind) == text
            ? kind
            : throw new FormatException($"unknown alarm event kind '{text}'");

    private static long UnixNano(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static DateTimeOffset FromUnixNano(ulong nanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
}
