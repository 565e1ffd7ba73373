using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The <c>updates</c> section of agent.json (release keys, firmware installers, slots, download limits).</summary>
public static partial class ConfigLoader
{
    private static AgentConfig? ReadUpdates(JsonObjectReader root, AgentConfig? config, string baseDirectory)
    {
        var element = root.Property("updates", required: false);
        if (element is null || config is null)
        {
            return config;
        }

        var defaults = UpdatesConfig.Defaults(config.DataDirectory);
        var updates = new JsonObjectReader(root.File, root.At("updates"), element.Value, root.Errors);
        var before = root.Errors.Count;
        var keys = ReadReleaseKeys(updates, baseDirectory);
        var installers = ReadFirmwareInstallers(updates);
        var window = TimeSpan.FromSeconds(updates.Integer("healthWindowSeconds", 10, 86_400, (long)defaults.HealthWindow.TotalSeconds));
        var slots = updates.String("slotsDirectory", required: false) is { } folder ? System.IO.Path.GetFullPath(folder, baseDirectory) : defaults.SlotsDirectory;
        var download = ReadDownload(Child(updates, "download", required: false));
        updates.RejectUnknown();
        return root.Errors.Count > before ? null : config with { Updates = new UpdatesConfig(keys, installers, window, slots, download) };
    }

    private static List<string> ReadReleaseKeys(JsonObjectReader updates, string baseDirectory)
    {
        var keys = new List<string>();
        if (updates.Property("releaseKeys", required: false) is not { } array)
        {
            return keys;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            updates.Error(updates.At("releaseKeys"), $"expected an array of PEM file paths, found {JsonObjectReader.Describe(array)}");
            return keys;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"{updates.At("releaseKeys")}[{index++}]";
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                updates.Error(at, $"expected a PEM file path, found {JsonObjectReader.Describe(item)}");
                continue;
            }

            var path = System.IO.Path.GetFullPath(item.GetString()!, baseDirectory);
            if (CheckReleaseKey(path) is { } problem)
            {
                updates.Error(at, problem);
                continue;
            }

            keys.Add(path);
        }

        return keys;
    }

    /// <summary>Null when <paramref name="path"/> holds an ECDSA P-256 public key in PEM; otherwise what is wrong.</summary>
    private static string? CheckReleaseKey(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"release key '{path}' cannot be read: {ex.Message}";
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            var curve = key.ExportParameters(false).Curve;
            return curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value
                ? null
                : $"release key '{path}' is on curve {curve.Oid.FriendlyName ?? curve.Oid.Value}, not P-256";
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return $"release key '{path}' is not an ECDSA P-256 public key in PEM (-----BEGIN PUBLIC KEY-----): {ex.Message}";
        }
    }

    private static Dictionary<string, FirmwareInstallerConfig> ReadFirmwareInstallers(JsonObjectReader updates)
    {
        var installers = new Dictionary<string, FirmwareInstallerConfig>(StringComparer.Ordinal);
        if (updates.Property("firmwareInstallers", required: false) is not { } map)
        {
            return installers;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            updates.Error(updates.At("firmwareInstallers"), $"expected an object of firmware name to installer, found {JsonObjectReader.Describe(map)}");
            return installers;
        }

        foreach (var entry in map.EnumerateObject())
        {
            var at = $"{updates.At("firmwareInstallers")}.{entry.Name}";
            if (!IsName(entry.Name))
            {
                updates.Error(at, $"'{entry.Name}' is not a valid firmware name (letters, digits, '-', '_', '.'; at most 64)");
                continue;
            }

            var installer = new JsonObjectReader(updates.File, at, entry.Value, updates.Errors);
            var command = ReadCommand(installer);
            var timeout = TimeSpan.FromSeconds(installer.Integer("timeoutSeconds", 1, 86_400, 600));
            installer.RejectUnknown();
            if (command is not null)
            {
                installers[entry.Name] = new FirmwareInstallerConfig(command, timeout);
            }
        }

        return installers;
    }

    private static List<string>? ReadCommand(JsonObjectReader installer)
    {
        if (installer.Property("command", required: true) is not { } array)
        {
            return null;
        }

        var at = installer.At("command");
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0 || array.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
        {
            installer.Error(at, $"expected a non-empty array of strings (program, then its arguments; no shell), found {JsonObjectReader.Describe(array)}");
            return null;
        }

        var command = array.EnumerateArray().Select(a => a.GetString()!).ToList();
        if (!System.IO.Path.IsPathFullyQualified(command[0]))
        {
            installer.Error(at + "[0]", $"'{command[0]}' is not an absolute path (the installer runs without a shell or PATH lookup)");
            return null;
        }

        return command;
    }

    private static DownloadConfig ReadDownload(JsonObjectReader? download)
    {
        var defaults = DownloadConfig.Default;
        if (download is null)
        {
            return defaults;
        }

        var stall = TimeSpan.FromSeconds(download.Integer("stallSeconds", 1, 3600, (long)defaults.StallTimeout.TotalSeconds));
        var rate = download.Integer("minBytesPerSecond", 0, 1L << 30, defaults.MinBytesPerSecond);
        var attempts = (int)download.Integer("attempts", 1, 100, defaults.Attempts);
        download.RejectUnknown();
        return new DownloadConfig(stall, rate, attempts);
    }
}
