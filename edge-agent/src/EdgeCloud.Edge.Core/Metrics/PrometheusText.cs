using System.Globalization;
using System.Text;

namespace EdgeCloud.Edge.Metrics;

/// <summary>
/// The lexical rules of the Prometheus text format 0.0.4: metric names match
/// <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, label names <c>[a-zA-Z_][a-zA-Z0-9_]*</c>; label values escape
/// backslash, double quote and line feed; HELP text escapes backslash and line feed; floats are
/// Go-parsable, with <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c>.
/// </summary>
internal static class PrometheusText
{
    /// <summary>
    /// The family name of an instrument: the name sanitized, the unit appended as Prometheus names
    /// units (seconds, bytes), and <c>_total</c> for counters.
    /// </summary>
    public static string MetricName(string name, string? unit, bool counter)
    {
        var result = Sanitize(name, allowColon: true);
        var suffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => null,
        };
        if (suffix is not null && !result.EndsWith(suffix, StringComparison.Ordinal))
        {
            result += suffix;
        }

        if (counter && !result.EndsWith("_total", StringComparison.Ordinal))
        {
            result += "_total";
        }

        return result;
    }

    public static string LabelName(string name)
    {
        var result = Sanitize(name, allowColon: false);

        // Names starting with __ are reserved for Prometheus' own use.
        return result.StartsWith("__", StringComparison.Ordinal) ? "_" + result.TrimStart('_') : result;
    }

    public static void AppendLabelValue(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '"' => text.Append("\\\""),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    public static void AppendHelp(StringBuilder text, string help)
    {
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }
    }

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return builder.ToString();
    }
}
