namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// The agent's bootstrap config (<c>/etc/edge-agent/agent.json</c>): who it is, where the hub is,
/// where it keeps data, its limits, and where its site config comes from.
/// </summary>
/// <param name="AgentId">Agent id, unique in the fleet.</param>
/// <param name="DataDirectory">Folder for the outbox and the agent's state.</param>
/// <param name="Hub">The hub link.</param>
/// <param name="Outbox">Outbox limits.</param>
/// <param name="Site">The site config in force.</param>
/// <param name="SourcePath">The file this was read from, for messages.</param>
public sealed record AgentConfig(
    string AgentId,
    string DataDirectory,
    HubLinkConfig Hub,
    OutboxConfig Outbox,
    SiteConfig Site,
    string SourcePath)
{
    /// <summary>The watched models folder (<c>modelsDirectory</c>; default <c>models</c> under <see cref="DataDirectory"/>).</summary>
    public string ModelsDirectory { get; init; } = System.IO.Path.Combine(DataDirectory, "models");

    /// <summary>The local status endpoint (metrics, health, status); 127.0.0.1:9464 unless agent.json says otherwise.</summary>
    public StatusEndpointConfig Status { get; init; } = StatusEndpointConfig.Default;

    /// <summary>Rollouts: release keys, firmware installers, slots (the <c>updates</c> section; none by default).</summary>
    public UpdatesConfig Updates { get; init; } = UpdatesConfig.Defaults(DataDirectory);
}

/// <summary>How the agent reaches the hub.</summary>
/// <param name="Url">The hub's gRPC address (http:// for h2c on a trusted network, https:// otherwise).</param>
/// <param name="MaxBatchesInFlight">Batches sent but not yet acknowledged, at most.</param>
/// <param name="KeepAliveInterval">HTTP/2 PING interval that detects a silent dead link.</param>
/// <param name="MaxBackoff">Upper bound of the jittered reconnect delay.</param>
/// <param name="Compress">Gzip the agent's messages on the wire (default true: tag names repeat in every point, so a telemetry batch shrinks several times).</param>
/// <param name="BacklogBytesPerSecond">
/// While the agent catches up (more than one send window of batches waiting), the batches it sends use at most
/// this many bytes of stored payload a second, so a drain after an outage leaves the rest of a metered or shared
/// uplink to the live lane and to other traffic; 0 (the default) drains as fast as the link and the hub allow.
/// </param>
public sealed record HubLinkConfig(Uri Url, int MaxBatchesInFlight, TimeSpan KeepAliveInterval, TimeSpan MaxBackoff, bool Compress = true, long BacklogBytesPerSecond = 0);

/// <summary>How points are batched into the outbox.</summary>
/// <param name="MaxBatchPoints">A batch is sealed at this many points.</param>
/// <param name="MaxBatchDelay">... or when its oldest point is this old.</param>
/// <param name="MaxBytes">Disk budget of the outbox in bytes.</param>
/// <param name="TelemetryTtl">Telemetry waiting longer than this (agent running time) is removed and counted as dropped; null: never.</param>
/// <param name="EventTtl">The same for alarm events; null: never.</param>
/// <param name="CompactWindowSeconds">Rollup window of compaction before drop (divides 60); 0: drop without compacting.</param>
/// <param name="MemoryTailBytes">Unacknowledged payload kept in memory (and in the journal) before it is written to LiteDB; 0: every batch goes to LiteDB at once.</param>
public sealed record OutboxConfig(int MaxBatchPoints, TimeSpan MaxBatchDelay, long MaxBytes, TimeSpan? TelemetryTtl = null, TimeSpan? EventTtl = null, int CompactWindowSeconds = 60, long MemoryTailBytes = OutboxConfig.DefaultMemoryTailBytes)
{
    /// <summary>The default memory tail, 4 MiB.</summary>
    public const long DefaultMemoryTailBytes = 4L << 20;

    /// <summary>The largest memory tail <c>outbox.memoryTailBytes</c> accepts, 1 GiB.</summary>
    public const long MaxMemoryTailBytes = 1L << 30;
}
