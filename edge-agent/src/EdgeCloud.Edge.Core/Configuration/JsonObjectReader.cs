using System.Globalization;
using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// Reads one JSON object of a config file, recording an error with the exact path for every
/// missing, mistyped or out-of-range property, and for every property it does not know (a typo
/// must not silently become a default). Collects errors instead of throwing, so that one run
/// reports everything wrong with a file.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly List<ConfigError> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public JsonObjectReader(string file, string path, JsonElement element, List<ConfigError> errors)
    {
        File = file;
        Path = path;
        _element = element;
        _errors = errors;
        IsObject = element.ValueKind == JsonValueKind.Object;
        if (!IsObject)
        {
            Error(path, $"expected an object, found {Describe(element)}");
        }
    }

    public string File { get; }

    /// <summary>The error list shared by every reader of one load.</summary>
    public List<ConfigError> Errors => _errors;

    public string Path { get; }

    public bool IsObject { get; }

    public void Error(string path, string message) => _errors.Add(new ConfigError(File, path, message));

    public string At(string name) => $"{Path}.{name}";

    public bool Has(string name) => IsObject && _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement? Property(string name, bool required)
    {
        _known.Add(name);
        if (!IsObject)
        {
            return null;
        }

        if (_element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        if (required)
        {
            Error(At(name), "is required");
        }

        return null;
    }

    public string? String(string name, bool required, string? fallback = null)
    {
        var value = Property(name, required);
        if (value is null)
        {
            return fallback;
        }

        if (value.Value.ValueKind != JsonValueKind.String)
        {
            Error(At(name), $"expected a string, found {Describe(value.Value)}");
            return fallback;
        }

        var text = value.Value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            Error(At(name), "must not be empty");
        }

        return text;
    }

    public long Integer(string name, long min, long max, long fallback, bool required = false)
    {
        var value = Property(name, required);
        if (value is null)
        {
            return fallback;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt64(out var number))
        {
            Error(At(name), $"expected a whole number, found {Describe(value.Value)}");
            return fallback;
        }

        if (number < min || number > max)
        {
            Error(At(name), $"{number.ToString(CultureInfo.InvariantCulture)} is out of range ({min.ToString(CultureInfo.InvariantCulture)}-{max.ToString(CultureInfo.InvariantCulture)})");
            return fallback;
        }

        return number;
    }

    public double Number(string name, double fallback, Func<double, string?>? check = null)
    {
        var value = Property(name, required: false);
        if (value is null)
        {
            return fallback;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Error(At(name), $"expected a finite number, found {Describe(value.Value)}");
            return fallback;
        }

        var problem = check?.Invoke(number);
        if (problem is not null)
        {
            Error(At(name), problem);
            return fallback;
        }

        return number;
    }

    public TEnum Enum<TEnum>(string name, TEnum fallback, bool required, IReadOnlyDictionary<string, TEnum> names)
        where TEnum : struct, Enum
    {
        var text = String(name, required);
        if (text is null)
        {
            return fallback;
        }

        if (names.TryGetValue(text, out var parsed))
        {
            return parsed;
        }

        Error(At(name), $"unknown value '{text}' (expected one of: {string.Join(", ", names.Keys)})");
        return fallback;
    }

    /// <summary>Reports every property of the object that no reader asked for.</summary>
    public void RejectUnknown()
    {
        if (!IsObject)
        {
            return;
        }

        foreach (var property in _element.EnumerateObject())
        {
            if (!_known.Contains(property.Name))
            {
                Error(At(property.Name), $"unknown property (known here: {string.Join(", ", _known)})");
            }
        }
    }

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"string \"{element.GetString()}\"",
        JsonValueKind.Number => $"number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {element.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };
}
