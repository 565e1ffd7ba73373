namespace EdgeCloud.Hub.Storage.InMemory;

/// <summary>A gap kept by <see cref="InMemoryTelemetryStore"/>: sequences From..To (inclusive), filled when all arrived.</summary>
internal sealed class InMemoryGap(ulong from, ulong to, DateTimeOffset detectedAt)
{
    public ulong From { get; } = from;

    public ulong To { get; } = to;

    public DateTimeOffset DetectedAt { get; } = detectedAt;

    public DateTimeOffset? FilledAt { get; set; }
}
