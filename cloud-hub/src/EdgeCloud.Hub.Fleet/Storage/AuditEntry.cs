namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>One line of the append-only audit log: who did what to what in which tenant, and how it ended.</summary>
/// <param name="Id">Position in the log (increasing; 0 before it is appended).</param>
/// <param name="Time">When it happened.</param>
/// <param name="Actor">User id, <c>agent:&lt;id&gt;</c>, <c>token:&lt;id&gt;</c> or <c>system</c>.</param>
/// <param name="Tenant">The tenant whose state changed (or was asked to).</param>
/// <param name="Action">What was asked, e.g. <c>agent.revoke</c>.</param>
/// <param name="Target">What it was asked of, e.g. the agent id.</param>
/// <param name="Result"><c>ok</c>, <c>refused</c> or <c>failed</c>.</param>
/// <param name="Detail">Why, for a refusal or failure; null otherwise.</param>
public sealed record AuditEntry(long Id, DateTimeOffset Time, string Actor, string Tenant, string Action, string Target, string Result, string? Detail);
