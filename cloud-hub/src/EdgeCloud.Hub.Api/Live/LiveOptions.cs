using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Api.Live;

/// <summary>Limits of the live streams (server-sent events) of the API; configuration section <c>Live</c>.</summary>
public sealed class LiveOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Live";

    /// <summary>
    /// At most one <c>values</c> event per client and this many milliseconds; changes in between are coalesced
    /// by tag (the newest value wins). Default 250.
    /// </summary>
    [Range(10, 60_000)]
    public int CoalesceMilliseconds { get; set; } = 250;

    /// <summary>
    /// Changed tags that may wait for one client of <c>/agents/{id}/live</c>; a client that lets more pile up is
    /// dropped (it reconnects and starts again from a snapshot). Default 10,000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxPendingTags { get; set; } = 10_000;

    /// <summary>Alarm events that may wait for one client of <c>/alarm-events/stream</c> before it is dropped. Default 1,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingAlarmEvents { get; set; } = 1_000;

    /// <summary>A client that does not take one event within this many seconds is dropped. Default 10.</summary>
    [Range(1, 3_600)]
    public int WriteTimeoutSeconds { get; set; } = 10;

    /// <summary>A comment line is sent after this many idle seconds, so that dead clients and idle proxies are noticed. Default 15.</summary>
    [Range(1, 3_600)]
    public int HeartbeatSeconds { get; set; } = 15;
}
