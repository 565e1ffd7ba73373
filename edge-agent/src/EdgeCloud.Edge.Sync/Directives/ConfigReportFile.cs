using EdgeCloud.Edge.Files;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Edge.Sync.Directives;

/// <summary>
/// A config report the agent made on its own (a revert) and still owes the hub: kept in
/// <c>site-config/report.json</c> (DurableFile) until a session wrote it, so that it survives a restart
/// and reaches the hub when the link is back. Only the latest report is kept: it describes the config in force.
/// </summary>
public sealed class ConfigReportFile(string folder)
{
    /// <summary>The file.</summary>
    public string Path { get; } = System.IO.Path.Combine(folder, "report.json");

    /// <summary>Stores <paramref name="report"/> in place of any earlier one.</summary>
    public void Save(ConfigReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        DurableFile.WriteText(Path, JsonFormatter.Default.Format(report));
    }

    /// <summary>The owed report, or null. A file that no longer parses is dropped (it was never complete).</summary>
    public ConfigReport? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            return JsonParser.Default.Parse<ConfigReport>(File.ReadAllText(Path));
        }
        catch (InvalidProtocolBufferException)
        {
            File.Delete(Path);
            return null;
        }
    }

    /// <summary>Forgets <paramref name="sent"/> once written to the hub, unless a newer report replaced it meanwhile.</summary>
    public void Remove(ConfigReport sent)
    {
        if (Load() is { } stored && stored.Equals(sent))
        {
            File.Delete(Path);
        }
    }
}
