namespace EdgeCloud.Hub.Storage;

/// <summary>What <see cref="ITelemetryStore.IngestAsync(string, string, EdgeCloud.Proto.Sync.V1.TelemetryBatch, DateTimeOffset, CancellationToken)"/> did with a batch.</summary>
public enum IngestOutcome
{
    /// <summary>The batch was new and is now durable.</summary>
    Stored = 0,

    /// <summary>That (agent, sequence) was already stored; nothing was written.</summary>
    Duplicate = 1,
}
