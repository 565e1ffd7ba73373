using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Storage;

namespace EdgeCloud.Hub.Api.Agents;

/// <summary>A sequence gap as JSON: bounds inclusive, <c>filledAt</c> null while open.</summary>
internal sealed record GapView(ulong FromSequence, ulong ToSequence, string DetectedAt, string? FilledAt, ulong Missing)
{
    public static GapView From(GapRecord gap) => new(
        gap.FromSequence,
        gap.ToSequence,
        Iso8601.Format(gap.DetectedAt),
        gap.FilledAt is { } filled ? Iso8601.Format(filled) : null,
        gap.Missing);
}
