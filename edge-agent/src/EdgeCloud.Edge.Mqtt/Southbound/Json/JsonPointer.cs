using System.Text.Json;

namespace EdgeCloud.Edge.Mqtt.Southbound.Json;

/// <summary>
/// A JSON pointer (RFC 6901), split and unescaped once: "" is the whole document, "/a/0/b~1c"
/// is property "a", element 0, property "b/c". A token that is all digits selects an array
/// element when the value there is an array, a property otherwise. Immutable.
/// </summary>
internal sealed class JsonPointer
{
    private readonly string[] _tokens;

    public JsonPointer(string pointer)
    {
        Text = pointer;
        _tokens = pointer.Length == 0
            ? []
            : [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    /// <summary>The pointer as configured.</summary>
    public string Text { get; }

    /// <summary>Finds the value the pointer names; false when any step is missing.</summary>
    public bool TryResolve(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var token in _tokens)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when value.TryGetProperty(token, out var child):
                    value = child;
                    break;
                case JsonValueKind.Array when IsIndex(token, out var index) && index < value.GetArrayLength():
                    value = value[index];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    // RFC 6901 section 4: an index is "0" or digits without a leading zero.
    private static bool IsIndex(string token, out int index)
    {
        index = 0;
        if (token.Length == 0 || token.Length > 9 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        index = int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}
