using System.Collections.Concurrent;
using EdgeCloud.Hub.Alerts.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>
/// Turns stored agent alarm events into incident changes, each event once, in the agent's event order. Ingest only
/// marks the agent (<see cref="OnAlarmsStored"/> never waits); this loop then reads the agent's events after its
/// cursor from the alarm store and moves the cursor after each one. At start every known agent is read from its
/// cursor, so events stored while the hub was down (or before a crash took the marks) are not lost.
/// An event going active opens the incident of (agent, alarm id), or refreshes the unresolved one; a cleared
/// event resolves it unless resolved already; other events (acknowledged at the agent, shelved) refresh it.
/// A telemetry store without alarm events (a test double) leaves the feed idle.
/// </summary>
internal sealed partial class AlarmEventFeed(
    ITelemetryStore telemetry, IIncidentStore incidents, IncidentService service, AgentDirectory agents,
    IOptions<AlertsOptions> options, TimeProvider time, ILogger<AlarmEventFeed> logger) : BackgroundService, IAlarmsStoredListener
{
    private const int PageSize = 500;

    private readonly ConcurrentDictionary<string, bool> _marked = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void OnAlarmsStored(string agentId)
    {
        _marked[agentId] = true;
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke the loop first.
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (telemetry is not IAlarmEventStore alarms)
        {
            return;
        }

        var scanned = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!scanned)
                {
                    foreach (var agent in await telemetry.ListAgentsAsync(stoppingToken))
                    {
                        _marked[agent.AgentId] = true;
                    }

                    scanned = true;
                }
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is away: the start-up scan is tried again next round.
                LogFailed(logger, error, "*");
            }

            foreach (var agentId in _marked.Keys)
            {
                _marked.TryRemove(agentId, out _);
                try
                {
                    if (await ApplyPageAsync(alarms, agentId, stoppingToken))
                    {
                        _marked[agentId] = true;
                    }
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    // Stays marked: retried at the next round, from the cursor.
                    _marked[agentId] = true;
                    LogFailed(logger, error, agentId);
                }
            }

            try
            {
                await _wake.WaitAsync(options.Value.MonitorInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Applies one page of the agent's events; true when there may be more.</summary>
    private async Task<bool> ApplyPageAsync(IAlarmEventStore alarms, string agentId, CancellationToken cancellationToken)
    {
        var cursor = await incidents.GetAlarmCursorAsync(agentId, cancellationToken);
        var page = await alarms.ListAlarmEventsAfterAsync(agentId, cursor, PageSize, cancellationToken);
        if (page.Count == 0)
        {
            return false;
        }

        var (tenant, _) = await agents.LookupAsync(agentId, cancellationToken);
        foreach (var stored in page)
        {
            await ApplyAsync(tenant, agentId, stored.Event, cancellationToken);
            await incidents.SetAlarmCursorAsync(agentId, stored.Event.EventNumber, cancellationToken);
        }

        return page.Count == PageSize;
    }

    private async Task ApplyAsync(string tenant, string agentId, AlarmEvent alarm, CancellationToken cancellationToken)
    {
        var key = "alarm:" + alarm.AlarmId;
        var now = time.GetUtcNow();
        if (alarm.State.StartsWith("cleared", StringComparison.Ordinal))
        {
            await service.ResolveAutomaticallyAsync(tenant, agentId, key, cancellationToken);
            return;
        }

        var message = alarm.Message.Length > 0 ? alarm.Message : $"alarm {alarm.AlarmId} is {alarm.State}";
        if (alarm.State == "active" || await incidents.FindUnresolvedAsync(tenant, agentId, key, cancellationToken) is not null)
        {
            // Hub time, not the agent's: escalation counts from when the hub learnt of it, whatever the agent's clock says.
            await service.RaiseAsync(
                new IncidentRecord(
                    0, tenant, agentId, IncidentSources.AgentAlarm, key, alarm.Rule.Length > 0 ? alarm.Rule : alarm.AlarmId, alarm.Tag.Length > 0 ? alarm.Tag : null,
                    (int)Math.Min(alarm.Severity, int.MaxValue), IncidentStates.Open, 1, message, now, now, null, null, null, null, 0),
                cancellationToken);
        }
    }

    [LoggerMessage(EventId = 8111, Level = LogLevel.Warning, Message = "Alarm events of agent {AgentId} could not be turned into incidents; retrying")]
    private static partial void LogFailed(ILogger logger, Exception error, string agentId);
}
