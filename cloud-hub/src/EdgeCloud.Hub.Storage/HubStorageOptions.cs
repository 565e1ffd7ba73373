using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Storage;

/// <summary>
/// Where and how the hub stores telemetry. Bound from the configuration section
/// <see cref="SectionName"/> and validated at start: a hub with a bad storage setting does not start.
/// </summary>
public sealed class HubStorageOptions : IValidatableObject
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

    /// <summary>
    /// Npgsql connection string of the PostgreSQL database, e.g.
    /// <c>Host=db;Port=5432;Database=edgecloud;Username=hub;Password=...</c>. Required when
    /// <see cref="Provider"/> is <see cref="StorageProvider.Postgres"/>, ignored otherwise.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// With PostgreSQL: how long the replica message listener waits before it reconnects after losing its
    /// connection (what it missed meanwhile is caught up from the database once it listens again). Default 1 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ReplicaBusReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(ConnectionString)} is required when {SectionName}:{nameof(Provider)} is Postgres",
                [nameof(ConnectionString)]);
        }
    }
}
