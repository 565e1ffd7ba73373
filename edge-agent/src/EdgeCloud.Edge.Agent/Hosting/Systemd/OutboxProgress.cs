using EdgeCloud.Edge.Agent.Hosting.Site;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox;

namespace EdgeCloud.Edge.Agent.Hosting.Systemd;

/// <summary>
/// Progress as the outbox sees it: its durable sequence moves each time a batch is committed.
/// Every poll publishes points, bad-quality ones included when a device is down, so a healthy
/// agent with devices makes a batch at least every poll interval plus batch delay; a stuck
/// source loop, batcher or store stops it.
/// </summary>
internal sealed class OutboxProgress(IOutbox outbox, AgentConfig config, SiteSupervisor sites) : IPipelineProgress
{
    private SiteConfig Site => sites.Current?.Config.Site ?? config.Site;

    public ulong Mark => outbox.LastDurableSequence;

    public bool ExpectsPoints => Site.Devices.Count > 0;

    public TimeSpan ExpectedLatency =>
        Site.Devices.OfType<ModbusDeviceConfig>().Select(d => d.PollInterval + d.Timeout).DefaultIfEmpty(TimeSpan.Zero).Max()
        + config.Outbox.MaxBatchDelay;
}
