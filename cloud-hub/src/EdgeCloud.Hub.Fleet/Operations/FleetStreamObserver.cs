using EdgeCloud.Hub.Fleet.Replicas;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Operations;

/// <summary>
/// Joins agent streams to fleet operations: at connect, the stream is recorded as this replica's (and the
/// others told), then desired config and queued commands go out; reports and results are recorded; at the end
/// the presence row goes, unless a newer stream of the agent is open here.
/// </summary>
internal sealed class FleetStreamObserver(
    IFleetStore registry,
    IFleetOperationsStore store,
    ConfigService configs,
    CommandService commands,
    ClusterPresence presence,
    IReplicaPresenceStore presenceStore,
    ReplicaHints hints,
    TimeProvider time) : IAgentStreamObserver
{
    public async Task OnConnectedAsync(string agentId, Hello hello, CancellationToken cancellationToken)
    {
        if (presence.FindLocal(agentId) is { } open)
        {
            var here = new ReplicaPresence(agentId, presence.ReplicaId, open.AgentVersion, open.Peer, open.ConnectedAt);
            await presenceStore.SetOnlineAsync(here, cancellationToken);
            await hints.ConnectedAsync(here, cancellationToken);
        }

        if (await registry.GetAgentAsync(agentId, cancellationToken) is { RevokedAt: null } agent)
        {
            await configs.SendDesiredAsync(agent, hello.ConfigVersion, cancellationToken);
        }

        await commands.DeliverQueuedAsync(agentId, cancellationToken);
    }

    public async Task OnMessageAsync(string agentId, AgentMessage message, CancellationToken cancellationToken)
    {
        switch (message.BodyCase)
        {
            case AgentMessage.BodyOneofCase.ConfigReport:
                var report = message.ConfigReport;
                var state = report.State.Length > 0 ? report.State : report.Applied ? "applied" : "refused";
                await store.SetConfigReportAsync(new ConfigReportRecord(agentId, report.ConfigVersion, state, report.Detail, time.GetUtcNow()), cancellationToken);
                break;
            case AgentMessage.BodyOneofCase.CommandResult:
                await commands.OnResultAsync(agentId, message.CommandResult, cancellationToken);
                break;
        }
    }

    public async Task OnDisconnectedAsync(string agentId, CancellationToken cancellationToken)
    {
        if (!presence.IsLocal(agentId))
        {
            await presenceStore.SetOfflineAsync(agentId, presence.ReplicaId, cancellationToken);
            await hints.DisconnectedAsync(agentId, presence.ReplicaId, cancellationToken);
        }
    }
}
