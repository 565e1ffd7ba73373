using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Operations;

/// <summary>Joins agent streams to fleet operations: at connect, desired config and queued commands go out; reports and results are recorded.</summary>
internal sealed class FleetStreamObserver(IFleetStore registry, IFleetOperationsStore store, ConfigService configs, CommandService commands, TimeProvider time) : IAgentStreamObserver
{
    public async Task OnConnectedAsync(string agentId, Hello hello, CancellationToken cancellationToken)
    {
        if (await registry.GetAgentAsync(agentId, cancellationToken) is { RevokedAt: null } agent)
        {
            await configs.OnConnectedAsync(agent, hello.ConfigVersion, cancellationToken);
        }

        await commands.OnConnectedAsync(agentId, cancellationToken);
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
}
