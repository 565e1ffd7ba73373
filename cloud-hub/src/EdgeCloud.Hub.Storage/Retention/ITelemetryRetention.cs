namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>
/// Incremental deletion of old data. Each call deletes at most <c>maxRows</c> rows in one short
/// transaction, so a caller that loops until a call returns fewer than asked never holds ingest up for
/// long. Rows are old by their point time (raw) or bucket start (rollups), never by arrival time.
/// The count returned is points (raw) or buckets (rollups). A store that keeps raw points in blocks (SQLite)
/// bounds a step by blocks and counts the points in them, so a full step still returns at least maxRows.
/// Implemented by every <see cref="ITelemetryStore"/> of this assembly.
/// </summary>
public interface ITelemetryRetention
{
    /// <summary>Deletes up to <paramref name="maxRows"/> rows of <paramref name="tier"/> older than <paramref name="cutoffUnixNano"/>; returns how many.</summary>
    ValueTask<int> DeleteExpiredAsync(RetentionTier tier, long cutoffUnixNano, int maxRows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="maxRows"/> rows of <paramref name="tier"/> of one agent older than
    /// <paramref name="cutoffUnixNano"/>; returns how many. The per-agent policies' step.
    /// </summary>
    ValueTask<int> DeleteExpiredAsync(RetentionTier tier, string agentId, long cutoffUnixNano, int maxRows, CancellationToken cancellationToken = default);
}
