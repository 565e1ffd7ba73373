using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Rules.Alarms;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Edge.Rules.Tests.Alarms;

public class AlarmEventCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void EncodeDecode_RoundTrip()
    {
        var record = new AlarmEventRecord(42, AlarmEventKind.Cleared, "id1", "hot", "plc/temperature", AlarmState.ClearedUnacknowledged, 700, At, "back", 22.5, At.AddMinutes(5), null, "");

        var decoded = AlarmEventCodec.Decode(AlarmEventCodec.Encode(record));

        Assert.Equal(record, decoded);
    }

    [Fact]
    public void ToBatch_EventKindOneEventWireFields()
    {
        var record = new AlarmEventRecord(3, AlarmEventKind.Raised, "id1", "hot", "plc/temperature", AlarmState.Active, 700, At, "too hot", 26, null, null, "");

        var batch = AlarmEventCodec.ToBatch(record, At);
        var carrier = TelemetryBatch.Parser.ParseFrom(batch.Payload.Span);
        var wire = Assert.Single(carrier.Alarms);

        Assert.Empty(carrier.Points);
        Assert.Equal(record, AlarmEventCodec.FromBatch(batch.Payload.Span));
        Assert.Equal((OutboxBatchKind.Event, 1), (batch.Kind, batch.PointCount));
        Assert.Equal(("raised", "active", "id1", "plc/temperature", 700u, 3UL, 0UL), (wire.Kind, wire.State, wire.AlarmId, wire.Tag, wire.Severity, wire.EventNumber, wire.Sequence));
        Assert.Equal((ulong)(At - DateTimeOffset.UnixEpoch).Ticks * 100, wire.TimeUnixNano);
    }

    [Fact]
    public void Decode_UnknownState_FormatException()
    {
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(new AlarmEvent { Kind = "raised", State = "exploded" });

        var error = Assert.Throws<FormatException>(() => AlarmEventCodec.Decode(bytes));
        Assert.Contains("exploded", error.Message, StringComparison.Ordinal);
    }
}
