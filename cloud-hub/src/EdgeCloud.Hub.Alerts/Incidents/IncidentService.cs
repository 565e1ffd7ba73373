using System.Security.Claims;
using EdgeCloud.Hub.Alerts.Channels;
using EdgeCloud.Hub.Alerts.Rules;
using EdgeCloud.Hub.Alerts.Storage;
using EdgeCloud.Hub.Fleet;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>
/// Every change of an incident goes through here: opening (or refreshing) from an agent alarm or a hub rule,
/// automatic resolution, and the users' acknowledge / snooze / resolve, which are audited. Each change wakes
/// this replica's event streams; an opening notifies the level-1 channels of the governing rule.
/// Changes are compare-and-set on the incident's revision: a change that lost a race re-reads and decides again.
/// </summary>
internal sealed class IncidentService(
    IIncidentStore store, RuleBook rules, AgentDirectory agents, NotificationDispatcher notifications, IncidentChanges changes, AuditLog audit, TimeProvider time)
{
    /// <summary>Longest snooze a user may ask for: one week.</summary>
    public const int MaxSnoozeMinutes = 7 * 24 * 60;

    /// <summary>Opens <paramref name="draft"/> or refreshes the unresolved incident of its key.</summary>
    public async Task<IncidentRecord> RaiseAsync(IncidentRecord draft, CancellationToken cancellationToken)
    {
        var (incident, opened) = await store.RaiseAsync(draft, cancellationToken);
        changes.Signal();
        if (opened)
        {
            await NotifyLevelAsync(incident, 1, "incident.opened", cancellationToken);
        }

        return incident;
    }

    /// <summary>Resolves the unresolved incident of (tenant, agent, key) because its cause ended; null when there was none.</summary>
    public async Task<IncidentRecord?> ResolveAutomaticallyAsync(string tenant, string agentId, string key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await store.FindUnresolvedAsync(tenant, agentId, key, cancellationToken);
            if (current is null)
            {
                return null;
            }

            var now = time.GetUtcNow();
            if (await ChangeAsync(current with { State = IncidentStates.Resolved, ResolvedAt = now, LastEventAt = now, SnoozedUntil = null }, cancellationToken) is { } resolved)
            {
                return resolved;
            }
        }

        return null;
    }

    public Task<IncidentRecord> AcknowledgeAsync(ClaimsPrincipal caller, long id, string? comment, CancellationToken cancellationToken) =>
        UserChangeAsync(caller, id, "incident.acknowledge", comment, (incident, now) => incident.State switch
        {
            IncidentStates.Resolved => throw Conflict(id, "it is resolved"),
            _ => incident with { State = IncidentStates.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = FleetClaims.ActorOf(caller), SnoozedUntil = null },
        }, cancellationToken);

    public Task<IncidentRecord> SnoozeAsync(ClaimsPrincipal caller, long id, int minutes, CancellationToken cancellationToken) =>
        UserChangeAsync(caller, id, "incident.snooze", $"{minutes} min", (incident, now) => incident.State switch
        {
            IncidentStates.Resolved => throw Conflict(id, "it is resolved"),
            _ => incident with { State = IncidentStates.Snoozed, SnoozedUntil = now.AddMinutes(minutes) },
        }, cancellationToken);

    public Task<IncidentRecord> ResolveAsync(ClaimsPrincipal caller, long id, string? comment, CancellationToken cancellationToken) =>
        UserChangeAsync(caller, id, "incident.resolve", comment, (incident, now) => incident.State switch
        {
            IncidentStates.Resolved => throw Conflict(id, "it is resolved already"),
            _ => incident with { State = IncidentStates.Resolved, ResolvedAt = now, SnoozedUntil = null },
        }, cancellationToken);

    /// <summary>
    /// Escalation and snooze expiry for every unresolved incident: a snooze that ran out makes it open again
    /// (acknowledged if it was acknowledged before); an open one that the governing rule's next level has
    /// reached moves up and that level's channels are notified.
    /// </summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var unresolved = await store.ListUnresolvedAsync(cancellationToken);
        if (unresolved.Count == 0)
        {
            return;
        }

        var byTenant = (await rules.AllRulesAsync(cancellationToken)).ToLookup(r => r.Tenant, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var incident in unresolved)
        {
            if (incident.State == IncidentStates.Snoozed && incident.SnoozedUntil <= now)
            {
                await ChangeAsync(incident with { State = incident.AcknowledgedAt is null ? IncidentStates.Open : IncidentStates.Acknowledged, SnoozedUntil = null }, cancellationToken);
                continue;
            }

            if (incident.State != IncidentStates.Open)
            {
                continue;
            }

            var (_, labels) = await agents.LookupAsync(incident.AgentId, cancellationToken);
            var rule = RuleBook.Governing(incident, [.. byTenant[incident.Tenant]], labels);
            if (rule is null)
            {
                continue;
            }

            var due = incident.Level;
            while (due < rule.Escalation.Count && now - incident.OpenedAt >= TimeSpan.FromSeconds(rule.Escalation[due].AfterSeconds))
            {
                due++;
            }

            if (due > incident.Level && await ChangeAsync(incident with { Level = due }, cancellationToken) is { } escalated)
            {
                await NotifyLevelAsync(escalated, due, "incident.escalated", cancellationToken);
            }
        }
    }

    private async Task<IncidentRecord> UserChangeAsync(
        ClaimsPrincipal caller, long id, string action, string? detail, Func<IncidentRecord, DateTimeOffset, IncidentRecord> change, CancellationToken cancellationToken)
    {
        var tenant = FleetClaims.TenantOf(caller) ?? throw NotFound(id);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await store.GetAsync(tenant, id, cancellationToken) ?? throw NotFound(id);
            IncidentRecord wanted;
            try
            {
                wanted = change(current, time.GetUtcNow());
            }
            catch (FleetRequestException refused)
            {
                await audit.RecordAsync(caller, action, $"incident/{id}", AuditLog.Refused, refused.Message, cancellationToken);
                throw;
            }

            if (await ChangeAsync(wanted, cancellationToken) is { } stored)
            {
                await audit.RecordAsync(caller, action, $"incident/{id}", AuditLog.Ok, detail, cancellationToken);
                return stored;
            }
        }

        throw Conflict(id, "it keeps changing; try again");
    }

    private async Task<IncidentRecord?> ChangeAsync(IncidentRecord wanted, CancellationToken cancellationToken)
    {
        var stored = await store.UpdateAsync(wanted, cancellationToken);
        if (stored is not null)
        {
            changes.Signal();
        }

        return stored;
    }

    private async Task NotifyLevelAsync(IncidentRecord incident, int level, string what, CancellationToken cancellationToken)
    {
        var (_, labels) = await agents.LookupAsync(incident.AgentId, cancellationToken);
        var rule = RuleBook.Governing(incident, await rules.RulesAsync(incident.Tenant, cancellationToken), labels);
        if (rule is null || level > rule.Escalation.Count)
        {
            return;
        }

        foreach (var channel in rule.Escalation[level - 1].Channels)
        {
            notifications.Enqueue(new Notification(incident.Tenant, channel, what, incident));
        }
    }

    private static FleetRequestException NotFound(long id) =>
        new(StatusCodes.Status404NotFound, "Unknown incident", $"incident {id} is not one of your tenant's");

    private static FleetRequestException Conflict(long id, string why) =>
        new(StatusCodes.Status409Conflict, "Incident not changed", $"incident {id} cannot be changed: {why}");
}
