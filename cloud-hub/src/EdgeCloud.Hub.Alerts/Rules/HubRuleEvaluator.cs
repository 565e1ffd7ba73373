using EdgeCloud.Hub.Alerts.Incidents;
using EdgeCloud.Hub.Alerts.Storage;
using EdgeCloud.Hub.Fleet;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Alerts.Rules;

/// <summary>
/// Evaluates every tenant's hub rules every <see cref="AlertsOptions.RuleInterval"/>, on its own loop: it only
/// reads (presence, the agent table, one newest-point query per no-data rule and agent) and writes incidents,
/// which live apart from telemetry, so ingest never waits for it. A condition that holds opens the rule's
/// incident for the agent (once: the store dedupes); one that no longer holds resolves it.
/// <list type="bullet">
/// <item>agent-offline: no stream open on this replica and nothing stored from the agent for <see cref="HubRule.Seconds"/>
/// (an enrolled agent never heard from counts from its enrollment).</item>
/// <item>backlog: the agent's last health report says more than <see cref="HubRule.Batches"/> batches wait in its outbox;
/// judged only while its stream is open here (otherwise the report is stale and the incident is left as it is).</item>
/// <item>no-data: no point of <see cref="HubRule.Tag"/> with a time within the last <see cref="HubRule.Seconds"/>.</item>
/// </list>
/// </summary>
internal sealed partial class HubRuleEvaluator(
    RuleBook rules, IFleetStore fleet, ITelemetryStore telemetry, IAgentPresence presence, IIncidentStore incidents, IncidentService service,
    IOptions<AlertsOptions> options, IOptions<FleetOptions> fleetOptions, TimeProvider time, ILogger<HubRuleEvaluator> logger) : BackgroundService
{
    /// <summary>When each agent's stream was last seen open here: an idle stream stores nothing, so the agent table alone would call it silent.</summary>
    private readonly Dictionary<string, DateTimeOffset> _lastOnline = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RuleInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await EvaluateAllAsync(stoppingToken);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, error);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One round over every tenant's enabled rules.</summary>
    internal async Task EvaluateAllAsync(CancellationToken cancellationToken)
    {
        var all = (await rules.AllRulesAsync(cancellationToken)).Where(r => r.Enabled && r.Kind != HubRuleKinds.AgentAlarm).ToList();
        if (all.Count == 0)
        {
            return;
        }

        var stored = (await telemetry.ListAgentsAsync(cancellationToken)).ToDictionary(a => a.AgentId, StringComparer.Ordinal);
        foreach (var tenantRules in all.GroupBy(r => r.Tenant, StringComparer.Ordinal))
        {
            var members = await MembersAsync(tenantRules.Key, stored, cancellationToken);
            foreach (var rule in tenantRules)
            {
                foreach (var (agentId, labels, since) in members.Where(m => rule.Matches(m.AgentId, m.Labels)))
                {
                    var holds = await HoldsAsync(rule, agentId, since, stored.GetValueOrDefault(agentId), cancellationToken);
                    if (holds is { } yes)
                    {
                        await ApplyAsync(rule, agentId, yes, cancellationToken);
                    }
                }
            }
        }
    }

    /// <summary>The tenant's agents with their labels and the time they count from; unenrolled agents belong to the root tenant in development mode.</summary>
    private async Task<List<(string AgentId, IReadOnlyList<string> Labels, DateTimeOffset Since)>> MembersAsync(
        string tenant, Dictionary<string, AgentRecord> stored, CancellationToken cancellationToken)
    {
        var members = (await fleet.ListAgentsAsync(tenant, cancellationToken))
            .Where(a => a.RevokedAt is null)
            .Select(a => (a.AgentId, a.Labels, a.EnrolledAt))
            .ToList();
        if (tenant == FleetOptions.RootTenant && fleetOptions.Value.Mode == FleetSecurityMode.InsecureDevelopment)
        {
            var enrolled = members.Select(m => m.AgentId).ToHashSet(StringComparer.Ordinal);
            foreach (var agent in stored.Values.Where(a => !enrolled.Contains(a.AgentId)))
            {
                members.Add((agent.AgentId, (IReadOnlyList<string>)[], agent.FirstSeen));
            }
        }

        return members;
    }

    /// <summary>Whether the rule's condition holds for the agent now; null when it cannot be judged here.</summary>
    private async Task<bool?> HoldsAsync(HubRule rule, string agentId, DateTimeOffset since, AgentRecord? record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var online = presence.Find(agentId);
        if (online is not null)
        {
            _lastOnline[agentId] = now;
        }

        switch (rule.Kind)
        {
            case HubRuleKinds.AgentOffline:
                var lastHeard = new[] { record?.LastSeen ?? since, since, _lastOnline.GetValueOrDefault(agentId) }.Max();
                return online is null && now - lastHeard >= TimeSpan.FromSeconds(rule.Seconds);
            case HubRuleKinds.Backlog:
                return online?.Health is { } health ? health.BacklogBatches > (ulong)rule.Batches : null;
            case HubRuleKinds.NoData:
                var from = UnixNanos.From(now - TimeSpan.FromSeconds(rule.Seconds));
                var recent = await telemetry.QueryPointsAsync(agentId, rule.Tag!, from, long.MaxValue, 1, cancellationToken);
                return recent.Count == 0;
            default:
                return null;
        }
    }

    private async Task ApplyAsync(HubRule rule, string agentId, bool holds, CancellationToken cancellationToken)
    {
        var open = await incidents.FindUnresolvedAsync(rule.Tenant, agentId, rule.IncidentKey, cancellationToken);
        if (holds && open is null)
        {
            var now = time.GetUtcNow();
            await service.RaiseAsync(
                new IncidentRecord(0, rule.Tenant, agentId, IncidentSources.HubRule, rule.IncidentKey, rule.Id, rule.Tag, rule.Severity, IncidentStates.Open, 1, Describe(rule), now, now, null, null, null, null, 0),
                cancellationToken);
        }
        else if (!holds && open is not null)
        {
            await service.ResolveAutomaticallyAsync(rule.Tenant, agentId, rule.IncidentKey, cancellationToken);
        }
    }

    private static string Describe(HubRule rule) => rule.Kind switch
    {
        HubRuleKinds.AgentOffline => $"agent offline for at least {rule.Seconds} s",
        HubRuleKinds.Backlog => $"backlog deeper than {rule.Batches} batches",
        _ => $"no data from {rule.Tag} for {rule.Seconds} s",
    };

    [LoggerMessage(EventId = 8131, Level = LogLevel.Warning, Message = "Hub rule round failed; the next round tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
