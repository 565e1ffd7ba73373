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

    /// <summary>
    /// The largest message the hub reads from an agent's stream (gRPC MaxReceiveMessageSize), told to the
    /// agent in its Welcome; the agent compares it with a batch's uncompressed size, so gzip never matters. Default 16 MiB: four times the largest batch payload
    /// an agent produces (<c>OutboxLimits.MaxBatchPayloadBytes</c>, just under 4 MiB), so that a batch of an
    /// older agent (compaction carriers up to its budget / 16) mostly still fits. At least 4 MiB, gRPC's own
    /// default, which every agent's batches fit; at most 256 MiB, since the hub holds a whole message in memory.
    /// </summary>
    [Range(4 * 1024 * 1024, 256 * 1024 * 1024)]
    public int MaxReceiveMessageBytes { get; set; } = 16 * 1024 * 1024;
}
