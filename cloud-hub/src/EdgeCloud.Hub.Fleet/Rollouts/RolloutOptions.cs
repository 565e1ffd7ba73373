using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>Settings of artifacts and campaigns, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class RolloutOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Rollouts";

    /// <summary>Largest artifact an upload may carry, in bytes. Default 1 GiB; a longer body is refused with 413 and nothing kept.</summary>
    [Range(1, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 1L << 30;

    /// <summary>Chunk size of the per-chunk hashes agents check while they download. Default 1 MiB.</summary>
    [Range(4096, 64 << 20)]
    public int ChunkSize { get; set; } = 1 << 20;

    /// <summary>How often the campaign scheduler looks at running campaigns (agent reports also wake it). Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an agent may stay disconnected during its soak before it counts as unhealthy (an agent that
    /// restarts into a new build reconnects within this). Default 60 s; the soak's end needs it connected anyway.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SoakOfflineGrace { get; set; } = TimeSpan.FromSeconds(60);
}
