using Microsoft.Extensions.Logging;
using MQTTnet;

namespace EdgeCloud.Edge.Mqtt.Southbound;

/// <summary>The message handler of <see cref="MqttDeviceSession"/> and its log lines.</summary>
internal sealed partial class MqttDeviceSession
{
    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        Metrics.Received();
        var message = e.ApplicationMessage;
        var receivedAt = _time.GetUtcNow();
        _points.Clear();
        _replies.Clear();
        foreach (var mapper in _mappers)
        {
            if (!mapper.Accepts(message.Topic))
            {
                continue;
            }

            try
            {
                mapper.Map(message.Topic, message.Payload, receivedAt, _points, _replies);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A mapper bug must not stop the device: the message is dropped, counted and logged once per mapper.
                Metrics.BadValue();
                if (_mapperFailures.Add(mapper.GetType()))
                {
                    LogMapperFailed(_logger, ex, _config.Name, message.Topic);
                }
            }
        }

        try
        {
            if (_points.Count > 0)
            {
                await _sink.PublishAsync(_points, _stopping);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Not in the pipeline: no PUBACK, so the broker delivers the message again after the restart.
            e.AutoAcknowledge = false;
            return;
        }

        foreach (var reply in _replies)
        {
            try
            {
                await _client!.PublishAsync(reply, _stopping);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A lost command is asked again on the next gap; it must not fail the message.
                LogReplyFailed(_logger, _config.Name, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 6300, Level = LogLevel.Information, Message = "MQTT device {Device} connected to {Endpoint} as {ClientId} (session resumed: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, string device, string endpoint, string clientId, bool sessionPresent);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Warning, Message = "MQTT device {Device} lost its connection to {Endpoint}: {Reason}; reconnecting with backoff")]
    private static partial void LogLost(ILogger logger, string device, string endpoint, string reason);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "MQTT device {Device} cannot connect to {Endpoint}: {Reason}; retrying with backoff (logged again only if the reason changes)")]
    private static partial void LogCannotConnect(ILogger logger, string device, string endpoint, string reason);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Error, Message = "MQTT device {Device}: the broker refused the subscription to '{Filter}': {Code}")]
    private static partial void LogSubscribeRefused(ILogger logger, string device, string filter, string code);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Debug, Message = "MQTT device {Device}: disconnect at shutdown failed: {Reason}")]
    private static partial void LogDisconnectFailed(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 6305, Level = LogLevel.Warning, Message = "MQTT device {Device}: TLS to {Endpoint} accepts any server certificate (allowUntrusted); use a CA file in production")]
    private static partial void LogUntrusted(ILogger logger, string device, string endpoint);

    [LoggerMessage(EventId = 6306, Level = LogLevel.Debug, Message = "MQTT device {Device}: a command to the device could not be sent: {Reason}")]
    private static partial void LogReplyFailed(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 6312, Level = LogLevel.Error, Message = "MQTT device {Device}: mapping a message on '{Topic}' failed; such messages are dropped and counted (logged once)")]
    private static partial void LogMapperFailed(ILogger logger, Exception exception, string device, string topic);
}
