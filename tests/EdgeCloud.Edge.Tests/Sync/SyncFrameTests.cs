using System.Buffers;
using EdgeCloud.Edge.Outbox.Batching;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Grpc.Core;

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

    [Theory]
    [InlineData(0UL)]
    [InlineData(1_234_567UL)]
    public void Marshaller_WritesABatchIntoTheCallsBuffer_ParsingAsTheBatchWithItsSequence(ulong droppedBefore)
    {
        var data = Enumerable.Range(0, 50)
            .Select(i => new DataPoint("plc", $"t{i}", DateTimeOffset.UnixEpoch.AddSeconds(i), TagValue.FromNumber(i), PointQuality.Good))
            .ToList();
        var stored = BatchEncoder.Encode(data, 987, clockSynchronized: true);
        var context = new BufferContext();

        SyncFrame.Marshaller.ContextualSerializer(SyncFrame.Batch(300, stored, droppedBefore), context);

        var expected = TelemetryBatch.Parser.ParseFrom(stored);
        expected.Sequence = 300;
        expected.DroppedPointsBefore = droppedBefore;
        Assert.True(context.Completed);
        Assert.Equal(context.Written.Length, context.PayloadLength);
        // Parsed, not byte for byte: the frame writes dropped_points_before ahead of the stored
        // fields, which protobuf parsers accept in any order.
        Assert.Equal(expected, AgentMessage.Parser.ParseFrom(context.Written).Telemetry);
    }

    [Fact]
    public void Marshaller_WritesAMessageAsItsOwnEncoding()
    {
        var hello = new AgentMessage { Hello = new Hello { AgentId = "gw", ProtocolVersion = 1 } };
        var context = new BufferContext();

        SyncFrame.Marshaller.ContextualSerializer(SyncFrame.Of(hello), context);

        Assert.Equal(hello.ToByteArray(), context.Written);
    }

    /// <summary>
    /// Imitates what Grpc.Net.Client hands a marshaller for each request message (its serialization
    /// context is internal): a declared length, a buffer writer, then Complete; or Complete(bytes).
    /// </summary>
    private sealed class BufferContext : SerializationContext
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private byte[]? _completedWith;

        public int PayloadLength { get; private set; } = -1;

        public bool Completed { get; private set; }

        public byte[] Written => _completedWith ?? _buffer.WrittenSpan.ToArray();

        public override void SetPayloadLength(int payloadLength) => PayloadLength = payloadLength;

        public override IBufferWriter<byte> GetBufferWriter() => _buffer;

        public override void Complete() => Completed = true;

        public override void Complete(byte[] payload)
        {
            _completedWith = payload;
            Completed = true;
        }
    }
}
