using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Ingest.Live.Relay;

/// <summary>How replicas forward live values and alarm events to each other (<see cref="LiveRelay"/>), bound from <see cref="SectionName"/>.</summary>
public sealed class LiveRelayOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LiveRelay";

    /// <summary>
    /// How long an interest holds without renewal. A replica serving a live stream renews it every third of this;
    /// a replica that dies without a word stops being served once it runs out. Default 15 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The least time between two forwards of one agent's values (the throttle): the values that changed
    /// meanwhile go as one message, newest per tag. Default 1 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ForwardInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Changed tags an agent's forward holds at most between two forwards; beyond, the oldest are not sent. Default 10,000.</summary>
    [Range(1, 100_000)]
    public int MaxPendingTags { get; set; } = 10_000;
}
