using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>Where and how the outbox stores batches.</summary>
public sealed class OutboxOptions
{
    /// <summary>Folder of the outbox (LiteDB file and journal). Required.</summary>
    [Required]
    public string Directory { get; set; } = "";

    /// <summary>A journal segment is closed at this size; default 4 MiB.</summary>
    [Range(64 * 1024, 1L << 30)]
    public long JournalSegmentBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>At most this many batches share one fsync (group commit); default 64.</summary>
    [Range(1, 4096)]
    public int MaxGroupBatches { get; set; } = 64;

    /// <summary>
    /// When every batch is acknowledged and the LiteDB file is larger than this, the file is
    /// recreated empty: LiteDB never shrinks its file by itself, so a long outage would otherwise
    /// leave its high-water size on the disk for good. Default 8 MiB.
    /// </summary>
    [Range(0, 1L << 40)]
    public long ShrinkStoreAboveBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Disk budget in bytes for journal and store together; 0 for none. Unacknowledged batches
    /// live in both, so at most half of it is stored payload; the oldest telemetry is dropped
    /// (counted and told to the hub) when it is exceeded.
    /// </summary>
    [Range(0, 1L << 42)]
    public long MaxBytes { get; set; }

    /// <summary>
    /// Free space to leave on the outbox's filesystem; below it the oldest telemetry is dropped
    /// even within budget, so that a full disk never stops the agent. Default 16 MiB.
    /// </summary>
    [Range(0, 1L << 40)]
    public long ReserveFreeBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// When the budget runs short, the oldest raw telemetry is first compacted into rollups of this
    /// window (count/min/max/sum/last per tag), and only dropped when compaction can free no more.
    /// Must divide 60 so that a window lies inside one of the hub's 1-minute buckets; 0 turns
    /// compaction off (drop at once). Default 60.
    /// </summary>
    [Range(0, 60)]
    public int CompactWindowSeconds { get; set; } = 60;

    /// <summary>Telemetry older than this (agent running time, see <see cref="LiteDbOutbox"/>) is removed and counted as dropped; null keeps it until the budget needs the room.</summary>
    public TimeSpan? TelemetryTtl { get; set; }

    /// <summary>Alarm events older than this are removed and counted as dropped; null keeps them.</summary>
    public TimeSpan? EventTtl { get; set; }

    /// <summary>
    /// The newest batches stay in memory (and in the fsynced journal) until the hub acknowledges
    /// them; only when more than this many payload bytes wait are they written to LiteDB, the
    /// index a long backlog needs. 0 writes every batch to LiteDB at once. Default 4 MiB.
    /// </summary>
    [Range(0, 1L << 30)]
    public long MemoryTailBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Capacity of the writer thread's command queue (callers wait when it is full); default 256.</summary>
    [Range(1, 65536)]
    public int CommandQueueCapacity { get; set; } = 256;
}
