namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>
/// A command to one agent and where it stands: <c>queued</c> (waiting for the agent to connect),
/// <c>sent</c>, then <c>succeeded</c>, <c>failed</c> or <c>timed-out</c> (no result before the deadline).
/// </summary>
/// <param name="Id">Command id.</param>
/// <param name="Tenant">The agent's tenant.</param>
/// <param name="AgentId">The agent.</param>
/// <param name="Kind"><c>write-tag</c>, <c>restart</c>, <c>diagnostics</c>, <c>alarm.ack</c> or <c>alarm.shelve</c>.</param>
/// <param name="Arguments">Arguments by name.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Detail">The agent's answer or why it did not run.</param>
/// <param name="CreatedBy">User id.</param>
/// <param name="CreatedAt">When it was asked.</param>
/// <param name="Deadline">After this without a result it is timed out.</param>
public sealed record CommandRecord(
    string Id, string Tenant, string AgentId, string Kind, IReadOnlyDictionary<string, string> Arguments, string Status, string? Detail,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset Deadline);
