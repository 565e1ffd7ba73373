using System.Diagnostics.Metrics;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// The meters of one site: created in the agent's scope (so that its Prometheus exporter, which exports
/// its own container's meters only, shows them) and disposed with the site, so that a replaced site's
/// instruments and gauge callbacks leave the exporter instead of reading stopped objects.
/// </summary>
internal sealed class SiteMeterFactory(IMeterFactory agentScope) : IMeterFactory
{
    private readonly Lock _lock = new();
    private readonly List<Meter> _meters = [];
    private bool _disposed;

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = agentScope });
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
