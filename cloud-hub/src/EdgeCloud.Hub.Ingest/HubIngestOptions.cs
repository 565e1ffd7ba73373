using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Ingest;

/// <summary>Settings of the agents' sync streams, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class HubIngestOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Ingest";

    /// <summary>How long a new stream may stay silent before its Hello; then it is refused. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Batches of one stream that may wait for their commit or Ack at once; past that the hub stops reading
    /// the stream until one is acknowledged. Default 64, twice the agent's default send window.
    /// </summary>
    [Range(1, 1024)]
    public int MaxBatchesInFlight { get; set; } = 64;
}
