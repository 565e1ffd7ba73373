using System.Globalization;
using System.Text.Json;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>
/// Reads a device profile file for <c>edge-agent simulate modbus --profile</c>:
/// <code>
/// { "unitId": 1, "holding": 100, "input": 16, "coils": 32, "discreteInputs": 16,
///   "tags": [
///     { "name": "temperature", "area": "holding", "address": 0, "type": "float32", "byteOrder": "CDAB",
///       "wave": { "shape": "sine", "min": 19, "max": 24, "periodSeconds": 60 } },
///     { "name": "setpoint", "address": 2, "type": "int16", "scale": 0.1, "value": 21.5 },
///     { "name": "model", "address": 3, "type": "string", "length": 8, "value": "EC-100" },
///     { "name": "pump", "area": "coil", "address": 0, "wave": { "shape": "square", "periodSeconds": 10 } } ] }
/// </code>
/// Values are engineering values (the tag's scale and offset are inverted when serving). Shapes:
/// sine, triangle, ramp (min to max, then again), square (max for the first half of each period).
/// Every error names the file and JSON path; nothing is served from a profile with an error.
/// </summary>
internal static class DeviceProfileLoader
{
    private static readonly string[] Shapes = ["sine", "triangle", "ramp", "square"];

    /// <summary>Loads <paramref name="path"/>; null with <paramref name="errors"/> filled when it is not a valid profile.</summary>
    public static DeviceProfile? Load(string path, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read: {ex.Message}");
            return null;
        }

        return Parse(path, json, errors);
    }

    /// <summary>Parses a profile from <paramref name="json"/>; <paramref name="source"/> names it in errors.</summary>
    public static DeviceProfile? Parse(string source, string json, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        void Error(string at, string message) => errors.Add($"{source}: {at}: {message}");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            errors.Add($"{source}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", "expected an object");
                return null;
            }

            var unit = (byte)Int(root, "$", "unitId", 0, 247, 1, Error);
            var sizes = new Dictionary<ModbusRegisterArea, int>
            {
                [ModbusRegisterArea.Holding] = Int(root, "$", "holding", 0, 65536, 100, Error),
                [ModbusRegisterArea.Input] = Int(root, "$", "input", 0, 65536, 100, Error),
                [ModbusRegisterArea.Coil] = Int(root, "$", "coils", 0, 65536, 64, Error),
                [ModbusRegisterArea.DiscreteInput] = Int(root, "$", "discreteInputs", 0, 65536, 64, Error),
            };
            var tags = new List<SimulatedTag>();
            if (!root.TryGetProperty("tags", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                Error("$.tags", "expected an array of tags");
            }
            else
            {
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var at = $"$.tags[{index++}]";
                    if (ReadTag(item, at, sizes, Error) is { } tag)
                    {
                        tags.Add(tag);
                    }
                }
            }

            return errors.Count == before
                ? new DeviceProfile(unit, sizes[ModbusRegisterArea.Holding], sizes[ModbusRegisterArea.Input], sizes[ModbusRegisterArea.Coil], sizes[ModbusRegisterArea.DiscreteInput], tags)
                : null;
        }
    }

    private static SimulatedTag? ReadTag(JsonElement item, string at, Dictionary<ModbusRegisterArea, int> sizes, Action<string, string> error)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            error(at, "expected an object");
            return null;
        }

        // The tag part is exactly a site config tag: the loader checks it, so a profile entry means what a config tag means.
        var tagJson = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        JsonElement? value = null;
        JsonElement? wave = null;
        foreach (var property in item.EnumerateObject())
        {
            switch (property.Name)
            {
                case "value":
                    value = property.Value;
                    break;
                case "wave":
                    wave = property.Value;
                    break;
                default:
                    tagJson[property.Name] = property.Value;
                    break;
            }
        }

        var configErrors = new List<ConfigError>();
        var site = ConfigLoader.TryParseSite(
            "profile",
            $$"""{ "devices": [ { "name": "p", "protocol": "modbus-tcp", "host": "localhost", "tags": [ {{JsonSerializer.Serialize(tagJson)}} ] } ] }""",
            configErrors);
        if (site is null)
        {
            foreach (var e in configErrors)
            {
                error(at + e.Path.Replace("$.devices[0].tags[0]", "", StringComparison.Ordinal), e.Message);
            }

            return null;
        }

        var config = ((ModbusDeviceConfig)site.Devices[0]).Tags[0];
        if (config.Address + config.Width > sizes[config.Area])
        {
            error(at + ".address", $"{config.Area} {config.Address} (width {config.Width}) is outside the {sizes[config.Area]} the profile serves");
            return null;
        }

        if ((value is null) == (wave is null))
        {
            error(at, "give either \"value\" (a constant) or \"wave\" (a waveform)");
            return null;
        }

        var rawAt = value is { } constant ? Constant(constant, config, at, error) : Wave(wave!.Value, config, at, error);
        if (rawAt is null)
        {
            return null;
        }

        var text = config.DataType == ModbusDataType.String ? value!.Value.GetString() : null;
        return new SimulatedTag(config.Name, config.Area, config.Address, config.DataType, config.ByteOrder, config.Scale, config.Offset, config.Unit ?? "", double.NaN, double.NaN, rawAt, text, config.Length, config.Bit);
    }

    private static Func<double, double>? Constant(JsonElement value, ModbusTagConfig tag, string at, Action<string, string> error)
    {
        if (tag.DataType == ModbusDataType.String)
        {
            if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > tag.Length * 2)
            {
                error(at + ".value", $"expected a text of at most {tag.Length * 2} characters");
                return null;
            }

            return _ => 0;
        }

        double engineering;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            engineering = value.GetBoolean() ? 1 : 0;
        }
        else if (value.ValueKind == JsonValueKind.Number)
        {
            engineering = value.GetDouble();
        }
        else
        {
            error(at + ".value", "expected a number or true/false");
            return null;
        }

        var raw = Raw(engineering, tag);
        if (!Fits(raw, tag))
        {
            error(at + ".value", $"{engineering.ToString(CultureInfo.InvariantCulture)} does not fit {tag.DataType.ToString().ToLowerInvariant()}");
            return null;
        }

        return _ => raw;
    }

    private static Func<double, double>? Wave(JsonElement wave, ModbusTagConfig tag, string at, Action<string, string> error)
    {
        if (wave.ValueKind != JsonValueKind.Object || tag.DataType == ModbusDataType.String)
        {
            error(at + ".wave", tag.DataType == ModbusDataType.String ? "a string has a constant value only" : "expected an object");
            return null;
        }

        var shape = wave.TryGetProperty("shape", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
        if (Array.IndexOf(Shapes, shape) < 0)
        {
            error(at + ".wave.shape", $"expected one of: {string.Join(", ", Shapes)}");
            return null;
        }

        var bits = tag.Area.IsBits() || tag.DataType == ModbusDataType.Bool;
        var min = Number(wave, "min", bits ? 0 : double.NaN);
        var max = Number(wave, "max", bits ? 1 : double.NaN);
        var period = Number(wave, "periodSeconds", double.NaN);
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max || !(period > 0))
        {
            error(at + ".wave", "needs numbers min <= max and periodSeconds > 0");
            return null;
        }

        if (!Fits(Raw(min, tag), tag) || !Fits(Raw(max, tag), tag))
        {
            error(at + ".wave", $"{min}..{max} does not fit {tag.DataType.ToString().ToLowerInvariant()}");
            return null;
        }

        var integral = tag.DataType is not ModbusDataType.Float32 and not ModbusDataType.Float64;
        return t =>
        {
            var phase = (t / period) - Math.Floor(t / period);
            var unit = shape switch
            {
                "sine" => 0.5 + (0.5 * Math.Sin(2 * Math.PI * phase)),
                "triangle" => phase < 0.5 ? 2 * phase : 2 - (2 * phase),
                "ramp" => phase,
                _ => phase < 0.5 ? 1 : 0,
            };
            var raw = Raw(min + ((max - min) * unit), tag);
            return integral ? Math.Round(raw, MidpointRounding.AwayFromZero) : raw;
        };
    }

    private static double Raw(double engineering, ModbusTagConfig tag) =>
        tag.Area.IsBits() || tag.DataType == ModbusDataType.Bool ? engineering : (engineering - tag.Offset) / tag.Scale;

    private static bool Fits(double raw, ModbusTagConfig tag)
    {
        if (tag.Area.IsBits())
        {
            return raw is 0 or 1;
        }

        var rounded = tag.DataType is ModbusDataType.Float32 or ModbusDataType.Float64 ? raw : Math.Round(raw, MidpointRounding.AwayFromZero);
        return Decoding.RegisterEncoder.TryEncodeRaw(rounded, tag.DataType, tag.ByteOrder, new ushort[4], tag.Bit ?? 0);
    }

    private static double Number(JsonElement element, string name, double fallback) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    private static int Int(JsonElement element, string at, string name, int min, int max, int fallback, Action<string, string> error)
    {
        if (!element.TryGetProperty(name, out var v))
        {
            return fallback;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n < min || n > max)
        {
            error($"{at}.{name}", $"expected a whole number {min}-{max}");
            return fallback;
        }

        return n;
    }
}
