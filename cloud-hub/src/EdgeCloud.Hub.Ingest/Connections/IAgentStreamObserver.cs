using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>
/// Sees what the ingest path does not handle itself: a stream accepted (after its Welcome; queued commands
/// and desired config go out then) and agent messages other than telemetry and health (command results,
/// config reports, rollout progress). Called on the stream's own loop, in arrival order; keep it short.
/// </summary>
public interface IAgentStreamObserver
{
    /// <summary>The agent's stream was accepted and welcomed; <see cref="IAgentSessions.TrySend"/> reaches it from now on.</summary>
    Task OnConnectedAsync(string agentId, Hello hello, CancellationToken cancellationToken);

    /// <summary>A message the ingest path does not consume arrived from <paramref name="agentId"/>.</summary>
    Task OnMessageAsync(string agentId, AgentMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// A stream of <paramref name="agentId"/> ended and left the registry (a newer stream of the same agent may
    /// be open already: ask <see cref="IAgentPresence.Find"/>). Called for accepted streams only.
    /// </summary>
    Task OnDisconnectedAsync(string agentId, CancellationToken cancellationToken) => Task.CompletedTask;
}
