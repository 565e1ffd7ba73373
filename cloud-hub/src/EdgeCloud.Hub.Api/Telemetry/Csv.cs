using System.Globalization;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// CSV fields (RFC 4180): numbers in invariant round-trip form (NaN, Infinity, -Infinity as words), text quoted
/// when it holds a comma, quote, CR or LF, with quotes doubled; a null value is an empty field.
/// </summary>
internal static class Csv
{
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Value(object? value) => value switch
    {
        null => "",
        double d => Number(d),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => Text(s),
        _ => Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    public static string Text(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
