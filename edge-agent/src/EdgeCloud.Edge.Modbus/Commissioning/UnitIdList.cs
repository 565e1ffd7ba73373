using System.Globalization;

namespace EdgeCloud.Edge.Modbus.Commissioning;

/// <summary>Unit id lists as an installer types them: <c>1-247</c>, <c>1,2,10-20</c>.</summary>
public static class UnitIdList
{
    /// <summary>The unit ids in the order given (duplicates kept); null when the text is not such a list of 0-255.</summary>
    public static IReadOnlyList<byte>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var result = new List<byte>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length > 2
                || !byte.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !byte.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first)
            {
                return null;
            }

            for (var unit = (int)first; unit <= last; unit++)
            {
                result.Add((byte)unit);
            }
        }

        return result;
    }
}
