using System.Buffers;
using EdgeCloud.Edge.Mqtt.Connection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace EdgeCloud.Edge.Mqtt.Northbound;

/// <summary>
/// Publishes the messages queued by <see cref="MqttPublishStage"/> to the local broker: connects
/// (jittered backoff, state changes logged once), then takes one message at a time from the queue
/// and publishes it with its route's topic, QoS and retain flag. While the broker is away the queue
/// keeps filling and drops its oldest messages; a message whose publish fails is counted as dropped.
/// </summary>
internal sealed partial class MqttPublisherService(
    MqttPublishStage stage,
    string agentId,
    TimeProvider time,
    MqttMetrics metrics,
    ILogger<MqttPublisherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (stage.Config is not { } config)
        {
            return;
        }

        var templates = config.Routes.Select(r => new TopicTemplate(r.Topic)).ToArray();
        var buffer = new ArrayBufferWriter<byte>(256);
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = MqttClientOptionsFactory.Create(config.Connection);
        var backoff = new JitteredBackoff();
        var failedRoutes = new HashSet<int>();
        string? lastFailure = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await client.ConnectAsync(options, stoppingToken);
                LogConnected(logger, config.Connection.Endpoint, config.Routes.Count);
                backoff.Reset();
                lastFailure = null;
                while (await stage.Queue.WaitToReadAsync(stoppingToken))
                {
                    while (stage.Queue.TryRead(out var item))
                    {
                        var message = item.Message is { } ready
                            ? new MqttApplicationMessageBuilder()
                                .WithTopic(ready.Topic)
                                .WithPayload(ready.Payload)
                                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)ready.Qos)
                                .WithRetainFlag(ready.Retain)
                                .Build()
                            : new MqttApplicationMessageBuilder()
                                .WithTopic(templates[item.Route].Format(agentId, item.Point.Device, item.Point.Tag))
                                .WithPayload(PointJson.Write(item.Point, buffer))
                                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)stage.Route(item.Route).Qos)
                                .WithRetainFlag(stage.Route(item.Route).Retain)
                                .Build();
                        try
                        {
                            await client.PublishAsync(message, stoppingToken);
                            metrics.Published();
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                        {
                            // The message is lost either way (the outbox has the point); a dead link
                            // goes back to reconnecting, anything else skips this one message.
                            metrics.CountDropped();
                            if (!client.IsConnected)
                            {
                                throw;
                            }

                            if (failedRoutes.Add(item.Route))
                            {
                                LogPublishFailed(logger, item.Message?.Topic ?? stage.Route(item.Route).Topic, ex.Message);
                            }
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (ex.Message != lastFailure)
                {
                    LogUnavailable(logger, config.Connection.Endpoint, ex.Message);
                    lastFailure = ex.Message;
                }
            }

            try
            {
                await Task.Delay(backoff.Next(), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (client.IsConnected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException)
            {
                // Shutting down; the broker notices the closed socket.
            }
        }
    }

    [LoggerMessage(EventId = 6400, Level = LogLevel.Information, Message = "MQTT publisher connected to {Endpoint} ({Routes} routes)")]
    private static partial void LogConnected(ILogger logger, string endpoint, int routes);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Warning, Message = "MQTT publisher: a message of route '{Topic}' was refused: {Reason}; such messages are dropped and counted (logged once per route)")]
    private static partial void LogPublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 6401, Level = LogLevel.Warning, Message = "MQTT publisher cannot reach {Endpoint}: {Reason}; retrying with backoff, the queue drops its oldest messages meanwhile (logged again only if the reason changes)")]
    private static partial void LogUnavailable(ILogger logger, string endpoint, string reason);
}
