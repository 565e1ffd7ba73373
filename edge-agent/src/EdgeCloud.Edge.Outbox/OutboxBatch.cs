namespace EdgeCloud.Edge.Outbox;

/// <summary>What a batch holds; decides its priority when the disk budget runs low.</summary>
public enum OutboxBatchKind : byte
{
    /// <summary>Telemetry points (an encoded <c>TelemetryBatch</c> without its sequence).</summary>
    Telemetry = 1,

    /// <summary>Alarms and events: kept longest.</summary>
    Event = 2,

    /// <summary>
    /// Older telemetry batches the disk budget compacted into rollups (an encoded <c>TelemetryBatch</c>
    /// whose <c>compacted</c> entries keep their own sequences); dropped before raw telemetry when
    /// compaction can free no more. Its point count is the raw points it stands for.
    /// </summary>
    Compacted = 3,
}

/// <summary>A batch to be made durable. <see cref="Payload"/> is opaque to the outbox.</summary>
/// <param name="Kind">What the payload holds.</param>
/// <param name="PointCount">How many points the payload holds, for stats and gap accounting.</param>
/// <param name="SealedAtUnixNano">When the batch was sealed (agent clock).</param>
/// <param name="Payload">The encoded batch.</param>
public sealed record OutboxBatch(OutboxBatchKind Kind, int PointCount, long SealedAtUnixNano, ReadOnlyMemory<byte> Payload);

/// <summary>A durable batch read back from the outbox.</summary>
/// <param name="Sequence">Its sequence number.</param>
/// <param name="Kind">What the payload holds.</param>
/// <param name="PointCount">How many points it holds.</param>
/// <param name="SealedAtUnixNano">When it was sealed.</param>
/// <param name="Payload">The encoded batch.</param>
/// <param name="DroppedPointsBefore">Points the disk budget dropped just before this batch, to be told to the hub with it.</param>
public sealed record StoredBatch(ulong Sequence, OutboxBatchKind Kind, int PointCount, long SealedAtUnixNano, byte[] Payload, long DroppedPointsBefore = 0);

/// <summary>A snapshot of the outbox's depth.</summary>
/// <param name="Batches">Batches stored and not yet acknowledged.</param>
/// <param name="Points">Points in those batches.</param>
/// <param name="JournalBytes">Bytes held by the durability journal.</param>
/// <param name="StoreBytes">Bytes of the LiteDB file.</param>
/// <param name="LastDurableSequence">Highest durable sequence.</param>
/// <param name="LastAcknowledgedSequence">Highest acknowledged sequence.</param>
/// <param name="DroppedBatches">Batches the disk budget dropped since the outbox opened.</param>
/// <param name="DroppedPoints">Points in those batches.</param>
/// <param name="CompactedBatches">Raw telemetry batches compacted into rollups since the outbox opened.</param>
/// <param name="CompactedPoints">Raw points those rollups stand for.</param>
/// <param name="ExpiredPoints">Points removed because their batch outlived its class's TTL (also in <paramref name="DroppedPoints"/>).</param>
/// <param name="StoreSetAsides">How often the LiteDB store was found damaged, set aside and rebuilt from the journal since the outbox opened (the opening's own recovery included).</param>
/// <param name="SetAsideBytes">Bytes of the one set-aside store kept for inspection (0 when none); counted against the disk budget and deleted first when it needs room.</param>
public sealed record OutboxStats(
    long Batches,
    long Points,
    long JournalBytes,
    long StoreBytes,
    ulong LastDurableSequence,
    ulong LastAcknowledgedSequence,
    long DroppedBatches = 0,
    long DroppedPoints = 0,
    long CompactedBatches = 0,
    long CompactedPoints = 0,
    long ExpiredPoints = 0,
    long StoreSetAsides = 0,
    long SetAsideBytes = 0);
