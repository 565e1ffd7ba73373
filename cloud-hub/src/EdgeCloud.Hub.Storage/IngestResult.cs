namespace EdgeCloud.Hub.Storage;

/// <summary>
/// The result of storing one batch. <see cref="GapFrom"/>/<see cref="GapTo"/> are set when this batch
/// jumped over sequences that were never stored (a new gap, both bounds inclusive);
/// <see cref="FilledGap"/> is true when it delivered the last missing sequence of an open gap.
/// </summary>
/// <param name="Outcome">Stored or duplicate.</param>
/// <param name="HighestSequence">The agent's highest stored sequence after this call.</param>
/// <param name="GapFrom">First missing sequence of a gap this batch opened, else null.</param>
/// <param name="GapTo">Last missing sequence of a gap this batch opened, else null.</param>
/// <param name="FilledGap">True when this batch closed an open gap.</param>
public readonly record struct IngestResult(
    IngestOutcome Outcome,
    ulong HighestSequence,
    ulong? GapFrom = null,
    ulong? GapTo = null,
    bool FilledGap = false)
{
    /// <summary>The result for a batch already stored.</summary>
    public static IngestResult Duplicate(ulong highestSequence) => new(IngestOutcome.Duplicate, highestSequence);
}
