using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeCloud.Edge.Files;

namespace EdgeCloud.Edge.Updates.Slots;

/// <summary>
/// The version of each model and firmware installed by a rollout (<c>updates/installed.json</c>, replaced with
/// <see cref="DurableFile"/>), against which "not older than installed" is checked. Agent builds keep theirs in
/// the slot state.
/// </summary>
internal sealed class InstalledVersions(string folder)
{
    private readonly Lock _lock = new();

    private string Path => System.IO.Path.Combine(folder, "installed.json");

    public string? Get(string kind, string name)
    {
        lock (_lock)
        {
            return Read().GetValueOrDefault(kind + "/" + name);
        }
    }

    public void Set(string kind, string name, string version)
    {
        lock (_lock)
        {
            var all = Read();
            all[kind + "/" + name] = version;
            Directory.CreateDirectory(folder);
            DurableFile.WriteText(Path, JsonSerializer.Serialize(all, InstalledJson.Default.DictionaryStringString));
        }
    }

    private Dictionary<string, string> Read()
    {
        try
        {
            return File.Exists(Path) ? JsonSerializer.Deserialize(File.ReadAllText(Path), InstalledJson.Default.DictionaryStringString) ?? [] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>Source-generated JSON for <see cref="InstalledVersions"/>.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class InstalledJson : JsonSerializerContext;
