using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Api.Agents;

/// <summary>One tag's newest known value.</summary>
/// <param name="Tag">The tag, <c>device/tag</c>.</param>
/// <param name="Time">Source time, ISO-8601 UTC.</param>
/// <param name="Value">The value (number, integer, flag or text); null for a bad point.</param>
/// <param name="Quality">Quality name.</param>
/// <param name="Stored">False while only the live lane brought it (the backlog has not reached it yet).</param>
internal sealed record LatestValueView(string Tag, string Time, object? Value, string Quality, bool Stored)
{
    public static LatestValueView From(LatestValue latest)
    {
        var point = latest.Point;
        object? value = point.ValueCase switch
        {
            Point.ValueOneofCase.Number => point.Number,
            Point.ValueOneofCase.Integer => point.Integer,
            Point.ValueOneofCase.Flag => point.Flag,
            Point.ValueOneofCase.Text => point.Text,
            _ => null,
        };
        var time = Iso8601.FormatUnixNanos((long)Math.Min(point.TimeUnixNano, long.MaxValue));
        return new LatestValueView(point.Tag, time, value, QualityNames.Name(point.Quality), latest.Stored);
    }
}
