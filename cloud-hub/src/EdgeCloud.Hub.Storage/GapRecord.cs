namespace EdgeCloud.Hub.Storage;

/// <summary>
/// Sequences of one agent that the hub skipped: <see cref="FromSequence"/>..<see cref="ToSequence"/>, both
/// inclusive. A gap is filled (<see cref="FilledAt"/> set) once every sequence in it has arrived;
/// <see cref="Missing"/> counts those still absent.
/// </summary>
/// <param name="AgentId">The agent.</param>
/// <param name="FromSequence">First missing sequence.</param>
/// <param name="ToSequence">Last missing sequence.</param>
/// <param name="DetectedAt">When the batch that jumped over the gap arrived.</param>
/// <param name="FilledAt">When the last missing batch arrived, or null while the gap is open.</param>
/// <param name="Missing">Sequences in the range still not stored.</param>
public sealed record GapRecord(
    string AgentId,
    ulong FromSequence,
    ulong ToSequence,
    DateTimeOffset DetectedAt,
    DateTimeOffset? FilledAt,
    ulong Missing);
