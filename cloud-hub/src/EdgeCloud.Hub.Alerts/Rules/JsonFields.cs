using System.Text.Json;

namespace EdgeCloud.Hub.Alerts.Rules;

/// <summary>
/// Reads a JSON object field by field and collects every problem with its JSON path (<c>$.escalation[1].channels[0]</c>),
/// so one answer names all that is wrong. Unknown fields are problems too: a typo never passes silently.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _object;
    private readonly string _path;

    private JsonFields(JsonElement element, string path, List<string> problems, IReadOnlyCollection<string> allowed)
    {
        _object = element;
        _path = path;
        Problems = problems;
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                problems.Add($"{path}.{property.Name}: unknown field (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    /// <summary>Every problem found so far (shared with nested readers).</summary>
    public List<string> Problems { get; }

    /// <summary>A reader of <paramref name="element"/> at <paramref name="path"/>, or null (with a problem) when it is not an object.</summary>
    public static JsonFields? Of(JsonElement element, string path, List<string> problems, params string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: must be a JSON object");
            return null;
        }

        return new JsonFields(element, path, problems, allowed);
    }

    public string Path(string name) => $"{_path}.{name}";

    public bool Has(string name) => _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? String(string name, bool required, int maxLength = 200)
    {
        if (!_object.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problems.Add($"{Path(name)}: required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Problems.Add($"{Path(name)}: must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
        {
            Problems.Add($"{Path(name)}: must be 1 to {maxLength} characters");
            return null;
        }

        return text;
    }

    public long? Integer(string name, long min, long max, bool required)
    {
        if (!_object.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problems.Add($"{Path(name)}: required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
        {
            Problems.Add($"{Path(name)}: must be an integer from {min} to {max}");
            return null;
        }

        return number;
    }

    public bool? Boolean(string name)
    {
        if (!_object.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Problems.Add($"{Path(name)}: must be true or false");
            return null;
        }

        return value.GetBoolean();
    }

    public IReadOnlyList<string> Strings(string name, int maxItems = 50, int maxLength = 200)
    {
        if (!_object.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems)
        {
            Problems.Add($"{Path(name)}: must be an array of at most {maxItems} strings");
            return [];
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length is 0 || item.GetString()!.Length > maxLength)
            {
                Problems.Add($"{Path(name)}[{index}]: must be a string of 1 to {maxLength} characters");
            }
            else
            {
                items.Add(item.GetString()!);
            }

            index++;
        }

        return items;
    }

    /// <summary>The elements of an array field (empty when absent), each with its path.</summary>
    public IReadOnlyList<(JsonElement Element, string Path)> Array(string name, int maxItems)
    {
        if (!_object.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems)
        {
            Problems.Add($"{Path(name)}: must be an array of at most {maxItems} items");
            return [];
        }

        return [.. value.EnumerateArray().Select((e, i) => (e, $"{Path(name)}[{i}]"))];
    }
}
