using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Api.Formatting;

/// <summary>
/// The API's names for point qualities: the wire enum name in lower snake case without its prefix
/// (<c>QUALITY_BAD_TIMEOUT</c> is <c>bad_timeout</c>). A value this build does not know (a newer agent)
/// reads <c>quality_N</c>.
/// </summary>
internal static class QualityNames
{
    private static readonly FrozenDictionary<Quality, string> Names =
        Enum.GetValues<Quality>().ToFrozenDictionary(q => q, q => ToSnakeCase(q.ToString()));

    public static string Name(Quality quality) =>
        Names.TryGetValue(quality, out var name) ? name : "quality_" + ((int)quality).ToString(CultureInfo.InvariantCulture);

    private static string ToSnakeCase(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
