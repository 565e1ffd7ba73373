using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Edge.Tests.Sync;

public sealed class SyncFrameTests
{
    [Theory]
    [InlineData(1UL, 1)]
    [InlineData(300UL, 40)]
    [InlineData(9_876_543_210_123UL, 1000)]
    public void Batch_StoredPayloadWithSequence_IsByteForByteTheGeneratedEncoding(ulong sequence, int points)
    {
        var data = Enumerable.Range(0, points)
            .Select(i => new DataPoint("plc", $"t{i % 7}", DateTimeOffset.UnixEpoch.AddSeconds(i), i % 3 == 0 ? TagValue.FromInteger(-i) : TagValue.FromNumber(i * 0.5), PointQuality.Good))
            .ToList();
        var stored = BatchEncoder.Encode(data, 123_456_789, clockSynchronized: true);

        var frame = SyncFrame.Batch(sequence, stored).ToBytes();

        var expected = TelemetryBatch.Parser.ParseFrom(stored);
        expected.Sequence = sequence;
        Assert.Equal(new AgentMessage { Telemetry = expected }.ToByteArray(), frame);
        var parsed = AgentMessage.Parser.ParseFrom(frame);
        Assert.Equal((sequence, points, true), (parsed.Telemetry.Sequence, parsed.Telemetry.Points.Count, parsed.Telemetry.ClockSynchronized));
    }

    [Fact]
    public void Batch_WithDroppedPoints_ParsesAsTheBatchCarryingTheCount()
    {
        var data = new List<DataPoint> { new("plc", "t", DateTimeOffset.UnixEpoch, TagValue.FromNumber(1.5), PointQuality.Good) };
        var stored = BatchEncoder.Encode(data, 123, clockSynchronized: false);

        var frame = SyncFrame.Batch(77, stored, droppedBefore: 1_234_567).ToBytes();

        var expected = TelemetryBatch.Parser.ParseFrom(stored);
        expected.Sequence = 77;
        expected.DroppedPointsBefore = 1_234_567;
        Assert.Equal(expected, AgentMessage.Parser.ParseFrom(frame).Telemetry);
    }

    [Fact]
    public void Of_Message_IsTheMessagesOwnEncoding()
    {
        var hello = new AgentMessage { Hello = new Hello { AgentId = "gw", ProtocolVersion = 1 } };

        Assert.Equal(hello.ToByteArray(), SyncFrame.Of(hello).ToBytes());
    }
}
