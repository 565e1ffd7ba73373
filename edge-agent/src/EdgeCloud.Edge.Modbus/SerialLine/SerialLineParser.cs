using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.SerialLine;

/// <summary>
/// Cuts one text line of a <see cref="SerialLineDeviceConfig"/> into its field values. A line is
/// taken whole or not at all: when any field is missing or does not parse, the line is refused
/// with the reason naming the field, so a half-read line never publishes a mix of old and new
/// values. Lines without the configured prefix are skipped silently (other sentences of an NMEA
/// talker are normal). Thread-safe once built.
/// </summary>
internal sealed class SerialLineParser
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(100);

    private readonly SerialLineDeviceConfig _device;
    private readonly Regex? _regex;

    /// <summary>Builds the parser (compiles the pattern once).</summary>
    public SerialLineParser(SerialLineDeviceConfig device)
    {
        _device = device;
        _regex = device.Format == SerialLineFormat.Regex ? new Regex(device.Pattern!, RegexOptions.CultureInvariant, RegexBudget) : null;
    }

    /// <summary>The outcome of one line.</summary>
    public enum Outcome
    {
        /// <summary>Every field parsed.</summary>
        Parsed,

        /// <summary>Not a line for this device (no prefix match): ignored.</summary>
        Skipped,

        /// <summary>A line for this device that could not be read; see the reason.</summary>
        Bad,
    }

    /// <summary>Parses <paramref name="line"/> into <paramref name="values"/> (one per field, in config order).</summary>
    public Outcome Parse(string line, TagValue[] values, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(values);
        reason = null;
        if (_device.LinePrefix is { } prefix && !line.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Outcome.Skipped;
        }

        string[]? parts = null;
        Match? match = null;
        if (_device.Format == SerialLineFormat.Delimited)
        {
            parts = line.Split(_device.Delimiter);
        }
        else if (_device.Format == SerialLineFormat.Regex)
        {
            try
            {
                match = _regex!.Match(line);
            }
            catch (RegexMatchTimeoutException)
            {
                reason = "the pattern took too long on this line";
                return Outcome.Bad;
            }

            if (!match.Success)
            {
                reason = "the line does not match the pattern";
                return Outcome.Bad;
            }
        }

        for (var i = 0; i < _device.Fields.Count; i++)
        {
            var field = _device.Fields[i];
            var text = Text(field, line, parts, match);
            if (text is null)
            {
                reason = $"field '{field.Tag}' is missing ({Where(field)})";
                return Outcome.Bad;
            }

            if (!TryValue(field, text.Trim(), out values[i]))
            {
                reason = $"field '{field.Tag}' ({Where(field)}) is '{text.Trim()}', not a {field.Type.ToString().ToLowerInvariant()}";
                return Outcome.Bad;
            }
        }

        return Outcome.Parsed;
    }

    private static string? Text(SerialLineFieldConfig field, string line, string[]? parts, Match? match)
    {
        if (parts is not null)
        {
            return field.Index < parts.Length ? parts[field.Index.Value] : null;
        }

        if (match is not null)
        {
            var group = match.Groups[field.Group!];
            return group.Success ? group.Value : null;
        }

        return field.Start + field.Length <= line.Length ? line.Substring(field.Start!.Value, field.Length!.Value) : null;
    }

    private static bool TryValue(SerialLineFieldConfig field, string text, out TagValue value)
    {
        value = TagValue.None;
        switch (field.Type)
        {
            case SerialLineFieldType.Text:
                value = TagValue.FromText(text);
                return true;
            case SerialLineFieldType.Flag:
                var flag = text.ToUpperInvariant() switch
                {
                    "1" or "TRUE" or "ON" or "YES" => (bool?)true,
                    "0" or "FALSE" or "OFF" or "NO" => false,
                    _ => null,
                };
                value = flag is { } f ? TagValue.FromFlag(f) : TagValue.None;
                return flag is not null;
            case SerialLineFieldType.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var integer):
                value = field.Scale == 1 && field.Offset == 0 ? TagValue.FromInteger(integer) : TagValue.FromNumber((integer * field.Scale) + field.Offset);
                return true;
            case SerialLineFieldType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                value = TagValue.FromNumber((number * field.Scale) + field.Offset);
                return double.IsFinite(value.AsDouble());
            default:
                return false;
        }
    }

    private static string Where(SerialLineFieldConfig field) =>
        field.Index is { } index ? $"index {index}" : field.Group is { } group ? $"group {group}" : $"columns {field.Start}-{field.Start + field.Length - 1}";
}
