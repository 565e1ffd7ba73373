using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Mqtt.Southbound;

/// <summary>
/// Runs one <see cref="MqttDeviceSession"/> per <see cref="MqttDeviceConfig"/> of the site config,
/// all awaited together: a broker that is down never stops the others, and the service ends only
/// when the host stops it.
/// </summary>
internal sealed partial class MqttSourceService(
    SiteConfig site,
    IPointSink sink,
    TimeProvider time,
    MqttMetrics metrics,
    ILogger<MqttSourceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var devices = site.Devices.OfType<MqttDeviceConfig>().ToList();
        if (devices.Count == 0)
        {
            return;
        }

        LogStarting(logger, devices.Count, devices.Sum(d => d.Subscriptions.Count));
        var sessions = devices.Select(d => new MqttDeviceSession(d, sink, time, metrics, logger));
        await Task.WhenAll(sessions.Select(s => s.RunAsync(stoppingToken)));
    }

    [LoggerMessage(EventId = 6350, Level = LogLevel.Information, Message = "Subscribing to {Devices} MQTT brokers ({Subscriptions} subscriptions)")]
    private static partial void LogStarting(ILogger logger, int devices, int subscriptions);
}
