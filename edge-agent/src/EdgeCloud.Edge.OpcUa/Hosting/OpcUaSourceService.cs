using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Security;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.OpcUa.Hosting;

/// <summary>
/// Subscribes to every <see cref="OpcUaDeviceConfig"/> of the site config, each device in its own
/// loop, all awaited together: a failing server never stops the others; the service ends only
/// when the host stops it. Points go to the <see cref="IPointSink"/>.
/// </summary>
internal sealed partial class OpcUaSourceService(
    SiteConfig site,
    OpcUaSourceOptions options,
    IPointSink sink,
    TimeProvider time,
    ILogger<OpcUaSourceService> logger) : BackgroundService
{
    private readonly List<OpcUaDeviceRunner> _runners = [];

    /// <summary>The device loops, once started (for health reports and tests).</summary>
    public IReadOnlyList<OpcUaDeviceRunner> Runners => _runners;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var devices = site.Devices.OfType<OpcUaDeviceConfig>().ToList();
        if (devices.Count == 0)
        {
            return;
        }

        var certificates = new UaCertificateStore(options.PkiFolder, options.ApplicationUri, time);
        foreach (var device in devices)
        {
            var security = new UaSecurityFactory(device, certificates, options.Channel, time, logger);
            _runners.Add(new OpcUaDeviceRunner(device, options, security.CreateAsync, sink, time, logger));
        }

        LogStarting(logger, devices.Count, devices.Sum(d => d.Tags.Count));
        await Task.WhenAll(_runners.Select(r => r.RunAsync(stoppingToken))).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Subscribing to {Devices} OPC UA servers ({Tags} tags)")]
    private static partial void LogStarting(ILogger logger, int devices, int tags);
}
