using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The model manifest part of <see cref="ConfigLoader"/> (<c>name.model.json</c>).</summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, ModelFillPolicy> FillNames = new(StringComparer.Ordinal)
    {
        ["wait"] = ModelFillPolicy.Wait,
        ["hold"] = ModelFillPolicy.Hold,
        ["mean"] = ModelFillPolicy.Mean,
    };

    /// <summary>Reads and validates the manifest at <paramref name="path"/>; null (with every error in <paramref name="errors"/>) when refused.</summary>
    public static ModelManifest? TryLoadModelManifest(string path, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        using var document = Parse(path, errors);
        return document is null ? null : ReadManifest(path, document.RootElement, errors);
    }

    /// <summary>Validates a manifest given as JSON text; <paramref name="path"/> names it in errors and gives the model its name.</summary>
    public static ModelManifest? TryParseModelManifest(string path, string json, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add(new ConfigError(path, SyntaxPosition(ex), "not valid JSON: " + FirstSentence(ex.Message)));
            return null;
        }

        using (document)
        {
            return ReadManifest(path, document.RootElement, errors);
        }
    }

    /// <summary>The model name a manifest file stands for, or null when the file is not a manifest.</summary>
    public static string? ModelNameOf(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        return file.EndsWith(ModelManifest.FileSuffix, StringComparison.Ordinal) ? file[..^ModelManifest.FileSuffix.Length] : null;
    }

    private static string ReadModelsDirectory(JsonObjectReader root, string dataDirectory, string baseDirectory)
    {
        var folder = root.String("modelsDirectory", required: false);
        return folder is null ? System.IO.Path.Combine(dataDirectory, "models") : System.IO.Path.GetFullPath(folder, baseDirectory);
    }

    private static ModelManifest? ReadManifest(string path, JsonElement element, List<ConfigError> errors)
    {
        var before = errors.Count;
        var root = new JsonObjectReader(path, "$", element, errors);
        var name = ModelNameOf(path) ?? "";
        if (!IsName(name))
        {
            root.Error("$", $"'{System.IO.Path.GetFileName(path)}' does not name a model: call it <name>{ModelManifest.FileSuffix}, the name of letters, digits, '-', '_', '.'");
        }

        var description = root.String("description", required: false);
        var intervalMs = root.Integer("runIntervalMs", 10, 86_400_000, 0);
        var interval = intervalMs > 0 ? TimeSpan.FromMilliseconds(intervalMs) : (TimeSpan?)null;
        var onChange = Flag(root, "runOnChange");
        if ((interval is null && !onChange) || (interval is not null && onChange))
        {
            root.Error("$", interval is null
                ? "say when the model runs: 'runIntervalMs' (a period) or 'runOnChange': true"
                : "give either 'runIntervalMs' or 'runOnChange': true, not both");
        }

        var shadowOf = root.String("shadowOf", required: false);
        if (shadowOf is not null && (!IsName(shadowOf) || shadowOf == name))
        {
            root.Error(root.At("shadowOf"), $"'{shadowOf}' is not the name of another model");
        }

        var inputs = Items(root, "inputs", ReadModelInput);
        var outputs = Items(root, "outputs", ReadModelOutput);
        CheckModelNames(root, inputs, outputs);
        root.RejectUnknown();
        if (shadowOf is not null && outputs.Any(o => o.Alarm is not null))
        {
            root.Error(root.At("shadowOf"), "a shadow model never acts, so its outputs cannot carry an 'alarm'");
        }

        // A model's alarm rules are named after the model and the output tag: unique in the agent, and recognisable as a model's.
        outputs = [.. outputs.Select(o => o.Alarm is null ? o : o with
        {
            Alarm = o.Alarm with { Name = $"{RuleConfig.ModelRulePrefix}{name}.{o.Tag}", Tags = [o.Address], Source = $"{path}: {o.Alarm.Source}" },
        })];
        return errors.Count > before ? null : new ModelManifest(name, path, description, inputs, outputs, interval, shadowOf);
    }

    private static ModelInputBinding? ReadModelInput(JsonObjectReader input)
    {
        var name = input.String("name", required: true);
        var window = (int)input.Integer("window", 1, 4096, 1);
        var fill = input.Enum("fill", ModelFillPolicy.Wait, required: false, FillNames);
        var features = Items(input, "features", ReadModelFeature);
        input.RejectUnknown();
        return name is null ? null : new ModelInputBinding(name, window, fill, features);
    }

    private static ModelFeature? ReadModelFeature(JsonObjectReader feature)
    {
        var address = TagAddress(feature, "tag");
        var normalization = ModelNormalization.None;
        if (Child(feature, "normalize", required: false) is { } normalize)
        {
            normalization = ReadNormalization(normalize);
        }

        feature.RejectUnknown();
        return address is { } a ? new ModelFeature(a.Device, a.Tag, normalization) : null;
    }

    private static ModelNormalization ReadNormalization(JsonObjectReader normalize)
    {
        ModelNormalization result = ModelNormalization.None;
        if (normalize.Has("mean") || normalize.Has("std"))
        {
            var mean = normalize.Number("mean", double.NaN);
            var std = normalize.Number("std", double.NaN, v => v > 0 ? null : "must be greater than 0");
            result = new ModelNormalization(ModelNormalizationKind.ZScore, mean, std);
        }
        else if (normalize.Has("min") || normalize.Has("max"))
        {
            var min = normalize.Number("min", double.NaN);
            var max = normalize.Number("max", double.NaN);
            if (!(max > min))
            {
                normalize.Error(normalize.At("max"), "must be greater than 'min'");
            }

            result = new ModelNormalization(ModelNormalizationKind.MinMax, min, max - min);
        }
        else if (normalize.IsObject)
        {
            normalize.Error(normalize.Path, "give 'mean' and 'std', or 'min' and 'max'");
        }

        if (result.Kind != ModelNormalizationKind.None && (double.IsNaN(result.Offset) || double.IsNaN(result.Divisor)))
        {
            normalize.Error(normalize.Path, result.Kind == ModelNormalizationKind.ZScore ? "give both 'mean' and 'std'" : "give both 'min' and 'max'");
        }

        normalize.RejectUnknown();
        return result;
    }

    private static ModelOutputBinding? ReadModelOutput(JsonObjectReader output)
    {
        var name = output.String("name", required: true);
        var index = (int)output.Integer("index", 0, 1 << 20, 0);
        var address = TagAddress(output, "tag");
        var alarm = Child(output, "alarm", required: false) is { } a ? ReadOutputAlarm(a) : null;
        output.RejectUnknown();
        return name is null || address is not { } t ? null : new ModelOutputBinding(name, index, t.Device, t.Tag) { Alarm = alarm };
    }

    /// <summary>
    /// An output's <c>alarm</c>: a threshold rule (<c>above</c> or <c>below</c>, <c>deadband</c>,
    /// <c>forSeconds</c>, <c>severity</c>, <c>message</c>) whose action is an alarm. Name and tag are
    /// filled in by the caller.
    /// </summary>
    private static RuleConfig? ReadOutputAlarm(JsonObjectReader alarm)
    {
        if (!alarm.IsObject)
        {
            alarm.Error(alarm.Path, "expected an object such as { \"above\": 0.8, \"forSeconds\": 10 }");
            return null;
        }

        var above = alarm.Has("above") ? alarm.Number("above", double.NaN) : (double?)null;
        var below = alarm.Has("below") ? alarm.Number("below", double.NaN) : (double?)null;
        if ((above is null) == (below is null))
        {
            alarm.Error(alarm.Path, "give exactly one of 'above' and 'below'");
        }

        var rule = new RuleConfig
        {
            Name = "",
            Kind = RuleKind.Threshold,
            Source = alarm.Path,
            Above = above,
            Below = below,
            Deadband = alarm.Number("deadband", 0, v => v < 0 ? "must not be negative" : null),
            For = TimeSpan.FromSeconds(alarm.Number("forSeconds", 0, v => v is < 0 or > 86_400 ? "must be 0-86400" : null)),
            Severity = (int)alarm.Integer("severity", 1, 1000, 500),
            Message = alarm.String("message", required: false),
            Actions = [new RuleActionConfig(RuleActionKind.Alarm, "", "", Points.TagValue.None, Points.TagValue.None)],
        };
        alarm.RejectUnknown();
        return rule;
    }

    private static void CheckModelNames(JsonObjectReader root, List<ModelInputBinding> inputs, List<ModelOutputBinding> outputs)
    {
        var inputNames = new HashSet<string>(StringComparer.Ordinal);
        var inputTags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (!inputNames.Add(inputs[i].Name))
            {
                root.Error($"$.inputs[{i}].name", $"input '{inputs[i].Name}' is bound twice");
            }

            foreach (var feature in inputs[i].Features)
            {
                inputTags.Add(feature.Address);
            }
        }

        var outputTags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < outputs.Count; i++)
        {
            var address = outputs[i].Address;
            if (!outputTags.Add(address))
            {
                root.Error($"$.outputs[{i}].tag", $"tag '{address}' is the output of two bindings");
            }
            else if (inputTags.Contains(address))
            {
                root.Error($"$.outputs[{i}].tag", $"tag '{address}' is also an input: a model cannot feed itself");
            }
        }
    }

    /// <summary>Reads a non-empty array of objects, each with <paramref name="read"/>; items that fail are left out (their errors are recorded).</summary>
    private static List<T> Items<T>(JsonObjectReader owner, string name, Func<JsonObjectReader, T?> read)
        where T : class
    {
        var result = new List<T>();
        var array = owner.Property(name, required: true);
        if (array is null)
        {
            return result;
        }

        if (array.Value.ValueKind != JsonValueKind.Array || array.Value.GetArrayLength() == 0)
        {
            owner.Error(owner.At(name), $"expected a non-empty array, found {JsonObjectReader.Describe(array.Value)}");
            return result;
        }

        var index = 0;
        foreach (var element in array.Value.EnumerateArray())
        {
            var item = read(new JsonObjectReader(owner.File, $"{owner.At(name)}[{index++}]", element, owner.Errors));
            if (item is not null)
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static (string Device, string Tag)? TagAddress(JsonObjectReader owner, string name)
    {
        var text = owner.String(name, required: true);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IsName(text[..slash]) || !IsName(text[(slash + 1)..]))
        {
            owner.Error(owner.At(name), $"'{text}' is not a tag address: write device/tag");
            return null;
        }

        return (text[..slash], text[(slash + 1)..]);
    }

    private static bool Flag(JsonObjectReader owner, string name)
    {
        var value = owner.Property(name, required: false);
        if (value is null)
        {
            return false;
        }

        if (value.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            owner.Error(owner.At(name), $"expected true or false, found {JsonObjectReader.Describe(value.Value)}");
            return false;
        }

        return value.Value.GetBoolean();
    }
}
