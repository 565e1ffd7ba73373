using System.Net;
using EdgeCloud.Edge.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Server;

namespace EdgeCloud.Edge.Mqtt.Broker;

/// <summary>
/// The broker the agent hosts when the site config's <c>mqtt.broker</c> is set (MQTTnet's server):
/// devices publish to it, the northbound routes publish to it, SCADA and Node-RED subscribe to it.
/// It starts before the MQTT sources and the publisher (registration order) and stops after them.
/// Sessions and retained messages live in memory: a restart of the agent clears them.
/// </summary>
internal sealed partial class MqttBrokerService(SiteConfig site, ILogger<MqttBrokerService> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (site.Mqtt?.Broker is not { } config)
        {
            return;
        }

        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(config.BindAddress))
            .WithDefaultEndpointPort(config.Port)
            .WithPersistentSessions()
            // A slow subscriber loses its oldest messages, not the broker its memory (bounded per client).
            .WithMaxPendingMessagesPerClient(10_000)
            .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        try
        {
            await _server.StartAsync();
            LogStarted(logger, config.BindAddress, config.Port);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // The port is taken (another broker?): the agent runs on without its own broker, and
            // devices and routes pointed at it report their connection errors.
            LogCannotListen(logger, config.BindAddress, config.Port, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true } server)
        {
            await server.StopAsync(new MqttServerStopOptionsBuilder().Build());
            LogStopped(logger);
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 6450, Level = LogLevel.Information, Message = "MQTT broker listening on {Address}:{Port}")]
    private static partial void LogStarted(ILogger logger, string address, int port);

    [LoggerMessage(EventId = 6452, Level = LogLevel.Error, Message = "MQTT broker cannot listen on {Address}:{Port}: {Reason}; the agent runs without its own broker")]
    private static partial void LogCannotListen(ILogger logger, string address, int port, string reason);

    [LoggerMessage(EventId = 6451, Level = LogLevel.Information, Message = "MQTT broker stopped")]
    private static partial void LogStopped(ILogger logger);
}
