using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Rules.Northbound;

/// <summary>
/// Publishes every alarm event (raise, acknowledge, clear, shelve, suppress and their ends) to the
/// routes of <c>mqtt.publish.alarms</c>: each route picks rules by a glob and a minimum severity
/// and gives topic, QoS and retain. Reads its own bounded subscription of <see cref="IAlarmEvents"/>
/// (drop oldest, counted there), so a slow or absent broker never holds up the rules; the outbox
/// copy sent to the hub stays complete either way. Does nothing without routes or a publisher.
/// </summary>
internal sealed partial class AlarmMqttForwarder(
    IAlarmEvents events, IMqttOutbound? outbound, IReadOnlyList<MqttAlarmRouteConfig> routes, string agentId, ILogger<AlarmMqttForwarder> logger) : BackgroundService
{
    /// <summary>Events waiting for the publisher queue at most.</summary>
    public const int Capacity = 1024;

    // Subscribed at construction, not in ExecuteAsync, so no event raised while the host starts is
    // missed; not at all without routes, so no subscription fills up unread.
    private readonly System.Threading.Channels.ChannelReader<AlarmEventRecord>? _events =
        routes.Count > 0 && outbound is { IsConfigured: true } ? events.Subscribe(Capacity, announcedOnly: false) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_events is null)
        {
            return;
        }

        LogForwarding(logger, routes.Count);
        try
        {
            await foreach (var record in _events.ReadAllAsync(stoppingToken))
            {
                Forward(record);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Queues one message per route the event matches.</summary>
    internal int Forward(AlarmEventRecord record)
    {
        byte[]? payload = null;
        var queued = 0;
        foreach (var route in routes)
        {
            // Shelve/suppress events of rule + tag without an alarm carry severity 0: they go to every route of the rule.
            if (!NameGlob.IsMatch(route.RuleFilter, record.Rule) || (record.Severity > 0 && record.Severity < route.MinSeverity))
            {
                continue;
            }

            payload ??= AlarmEventJson.Write(record);
            if (outbound!.TryQueue(RuleTopic.Format(route.Topic, agentId, record.Rule, record.Tag), payload, route.Qos, route.Retain))
            {
                queued++;
            }
        }

        return queued;
    }

    [LoggerMessage(EventId = 6620, Level = LogLevel.Information, Message = "Alarm events are published to MQTT through {Routes} route(s)")]
    private static partial void LogForwarding(ILogger logger, int routes);
}
