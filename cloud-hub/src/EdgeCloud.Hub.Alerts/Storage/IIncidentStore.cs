using EdgeCloud.Hub.Alerts.Incidents;

namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>
/// Where incidents live (SQLite <c>alerts.db</c> beside the telemetry, or the shared PostgreSQL). Writes are
/// serialized, so <see cref="IncidentRecord.Revision"/> order is commit order; every list is tenant-scoped
/// except <see cref="ListUnresolvedAsync"/>, which the hub's own background jobs use.
/// </summary>
public interface IIncidentStore
{
    /// <summary>
    /// Opens <paramref name="draft"/> unless an unresolved incident of its (tenant, agent, key) exists; then that
    /// one takes the draft's message, severity and event time instead. Returns the stored incident and whether it is new.
    /// </summary>
    Task<(IncidentRecord Incident, bool Opened)> RaiseAsync(IncidentRecord draft, CancellationToken cancellationToken);

    /// <summary>The unresolved incident of (tenant, agent, key), or null.</summary>
    Task<IncidentRecord?> FindUnresolvedAsync(string tenant, string agentId, string key, CancellationToken cancellationToken);

    /// <summary>One incident of <paramref name="tenant"/>, or null (also for another tenant's id).</summary>
    Task<IncidentRecord?> GetAsync(string tenant, long id, CancellationToken cancellationToken);

    /// <summary>The tenant's incidents, newest first, optionally of one state and/or agent, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<IncidentRecord>> ListAsync(string tenant, string? state, string? agentId, int limit, CancellationToken cancellationToken);

    /// <summary>The tenant's incidents changed after <paramref name="afterRevision"/>, in revision order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<IncidentRecord>> ListChangedAsync(string tenant, long afterRevision, int limit, CancellationToken cancellationToken);

    /// <summary>The highest revision among the tenant's incidents, 0 when none.</summary>
    Task<long> GetLatestRevisionAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Every unresolved incident of every tenant (escalation and snooze expiry).</summary>
    Task<IReadOnlyList<IncidentRecord>> ListUnresolvedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="changed"/> (state, level, acknowledgement, snooze, resolution, message, last event) if
    /// the stored revision is still <paramref name="changed"/>'s; returns it with its new revision, or null when
    /// someone changed it meanwhile (re-read and decide again).
    /// </summary>
    Task<IncidentRecord?> UpdateAsync(IncidentRecord changed, CancellationToken cancellationToken);

    /// <summary>The highest agent alarm event number already turned into incident changes, 0 when none.</summary>
    Task<ulong> GetAlarmCursorAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>Moves the agent's alarm cursor to <paramref name="eventNumber"/>.</summary>
    Task SetAlarmCursorAsync(string agentId, ulong eventNumber, CancellationToken cancellationToken);
}
