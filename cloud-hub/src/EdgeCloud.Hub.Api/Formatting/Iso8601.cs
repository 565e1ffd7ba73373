using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCloud.Hub.Storage;

namespace EdgeCloud.Hub.Api.Formatting;

/// <summary>
/// ISO-8601 times with nanosecond precision, the API's only time format. Output is always UTC with
/// <c>Z</c> and as many fraction digits as needed (none for whole seconds, up to nine), so a client can
/// pass a returned time back as a bound without rounding. Input accepts <c>Z</c> or an offset (none
/// means UTC), a fraction of 1 to 9 digits, minutes-only times and plain dates.
/// </summary>
internal static partial class Iso8601
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>Formats Unix nanoseconds as <c>yyyy-MM-ddTHH:mm:ss[.fffffffff]Z</c>.</summary>
    public static string FormatUnixNanos(long unixNano)
    {
        var seconds = Math.DivRem(unixNano, NanosPerSecond, out var fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += NanosPerSecond;
        }

        var whole = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return fraction == 0
            ? whole + "Z"
            : string.Concat(whole, ".", fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0'), "Z");
    }

    /// <summary>Formats a time in UTC with <c>Z</c>.</summary>
    public static string Format(DateTimeOffset time) => FormatUnixNanos(UnixNanos.From(time));

    /// <summary>Parses an ISO-8601 time into Unix nanoseconds; false when malformed or outside 1677..2262.</summary>
    public static bool TryParseUnixNanos(string? text, out long unixNano)
    {
        unixNano = 0;
        var match = text is null ? null : Pattern().Match(text);
        if (match is null || !match.Success)
        {
            return false;
        }

        var time = match.Groups["hm"].Success
            ? string.Concat(match.Groups["hm"].Value, ":", match.Groups["s"].Success ? match.Groups["s"].Value : "00")
            : "00:00:00";
        if (!DateTime.TryParseExact(
                match.Groups["date"].Value + "T" + time, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || local.Year is < 1677 or > 2262
            || !TryParseOffset(match.Groups["off"].Value, out var offset)
            || !UnixNanos.TryFrom(new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero) - offset, out var wholeNanos))
        {
            return false;
        }

        var fraction = match.Groups["frac"].Success ? long.Parse(match.Groups["frac"].Value.PadRight(9, '0'), CultureInfo.InvariantCulture) : 0;
        if (wholeNanos > long.MaxValue - fraction)
        {
            return false;
        }

        unixNano = wholeNanos + fraction;
        return true;
    }

    private static bool TryParseOffset(string text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text.Length == 0 || text is "Z" or "z")
        {
            return true;
        }

        // A '+' in a URL query decodes to a space when the client did not escape it: read it as '+'.
        var sign = text[0] == '-' ? -1 : 1;
        var digits = text[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var minutes = int.Parse(digits.AsSpan(2, 2), CultureInfo.InvariantCulture);
        if (hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = sign * new TimeSpan(hours, minutes, 0);
        return true;
    }

    [GeneratedRegex(
        @"^(?<date>\d{4}-\d{2}-\d{2})(?:[Tt](?<hm>\d{2}:\d{2})(?::(?<s>\d{2})(?:[.,](?<frac>\d{1,9}))?)?)?(?<off>[Zz]|[+\- ]\d{2}:?\d{2})?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
