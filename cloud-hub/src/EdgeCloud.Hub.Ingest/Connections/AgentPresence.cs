using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>A snapshot of one open agent stream. Immutable; take a new one to see later activity.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="AgentVersion">Version from the stream's Hello.</param>
/// <param name="Peer">The remote address as gRPC reports it.</param>
/// <param name="ConnectedAt">When the Hello was accepted.</param>
/// <param name="LastSeen">When the last message of the stream arrived.</param>
/// <param name="Health">The last health report on this stream, or null when none came yet. Do not modify.</param>
public sealed record AgentPresence(
    string AgentId,
    string AgentVersion,
    string Peer,
    DateTimeOffset ConnectedAt,
    DateTimeOffset LastSeen,
    AgentHealth? Health);
