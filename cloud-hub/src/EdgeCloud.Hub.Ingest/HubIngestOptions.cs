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
}
