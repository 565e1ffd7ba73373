using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Storage;

/// <summary>
/// Where and how the hub stores telemetry. Bound from the configuration section
/// <see cref="SectionName"/> and validated at start: a hub with a bad storage setting does not start.
/// </summary>
public sealed class HubStorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Storage";

    /// <summary>
    /// Which backend holds the data. Default <see cref="StorageProvider.Sqlite"/>; <see cref="StorageProvider.InMemory"/>
    /// keeps nothing across restarts and is meant for tests and demos.
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// Folder of the SQLite database (<c>hub.db</c>); created when missing. A relative path is taken
    /// relative to the host's content root. Default <c>./data</c>.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>How long a connection waits for a lock held by another connection before it fails. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
