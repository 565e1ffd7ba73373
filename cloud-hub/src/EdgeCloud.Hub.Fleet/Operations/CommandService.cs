using System.Security.Claims;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Operations;

/// <summary>
/// Commands to agents (write-tag, restart, diagnostics, alarm.ack, alarm.shelve), each with a deadline: sent at once to an online
/// agent, queued for an offline one only when asked (and sent when it connects, if still in time), refused
/// otherwise. A command without a result by its deadline reads as timed-out. Results come back as
/// CommandResult on the agent's stream.
/// </summary>
internal sealed class CommandService(IFleetOperationsStore store, IAgentSessions sessions, AuditLog audit, TimeProvider time)
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string TimedOut = "timed-out";

    /// <summary>The kinds an agent carries out.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["write-tag", "restart", "diagnostics", "alarm.ack", "alarm.shelve"];

    public async Task<CommandRecord> CreateAsync(
        ClaimsPrincipal caller, FleetAgentRecord agent, string kind, IReadOnlyDictionary<string, string> arguments, TimeSpan timeout, bool queueIfOffline,
        CancellationToken cancellationToken)
    {
        if (!Kinds.Contains(kind, StringComparer.Ordinal))
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid command", $"field 'kind' must be one of {string.Join(", ", Kinds)}");
        }

        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(7))
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid command", "field 'timeoutSeconds' must be between 1 and 604800");
        }

        var now = time.GetUtcNow();
        var command = new CommandRecord(Guid.NewGuid().ToString("N"), agent.Tenant, agent.AgentId, kind, arguments, Queued, null, FleetClaims.ActorOf(caller), now, now + timeout);
        var sent = sessions.TrySend(agent.AgentId, Message(command));
        if (!sent && !queueIfOffline)
        {
            await audit.RecordAsync(caller, "command." + kind, agent.AgentId, AuditLog.Refused, "agent offline and queueIfOffline is false", cancellationToken);
            throw new FleetRequestException(StatusCodes.Status409Conflict, "Agent offline", $"agent '{agent.AgentId}' is not connected; ask again with \"queueIfOffline\": true to deliver it when it connects");
        }

        command = command with { Status = sent ? Sent : Queued };
        await store.AddCommandAsync(command, cancellationToken);
        await audit.RecordAsync(caller, "command." + kind, agent.AgentId, AuditLog.Ok, $"command {command.Id} {command.Status}", cancellationToken);
        return command;
    }

    /// <summary>A command of the tenant, timed out when its deadline passed without a result.</summary>
    public async Task<CommandRecord?> GetAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        var command = await store.GetCommandAsync(tenant, id, cancellationToken);
        if (command is { Status: Queued or Sent } && time.GetUtcNow() > command.Deadline && await store.UpdateCommandAsync(id, null, TimedOut, "no result before the deadline", cancellationToken))
        {
            return command with { Status = TimedOut, Detail = "no result before the deadline" };
        }

        return command;
    }

    /// <summary>Sends the agent's queued commands that are still in time; the others time out.</summary>
    public async Task OnConnectedAsync(string agentId, CancellationToken cancellationToken)
    {
        foreach (var command in await store.ListCommandsAsync(agentId, Queued, cancellationToken))
        {
            if (time.GetUtcNow() > command.Deadline)
            {
                await store.UpdateCommandAsync(command.Id, agentId, TimedOut, "the agent did not connect before the deadline", cancellationToken);
            }
            else if (sessions.TrySend(agentId, Message(command)))
            {
                await store.UpdateCommandAsync(command.Id, agentId, Sent, null, cancellationToken);
            }
        }
    }

    /// <summary>Records an agent's result (ignored when the command already ended, e.g. timed out).</summary>
    public Task OnResultAsync(string agentId, CommandResult result, CancellationToken cancellationToken) =>
        store.UpdateCommandAsync(result.CommandId, agentId, result.Success ? Succeeded : Failed, result.Detail, cancellationToken);

    private static HubMessage Message(CommandRecord command)
    {
        var message = new Command
        {
            CommandId = command.Id,
            Kind = command.Kind,
            DeadlineUnixNano = (ulong)((command.Deadline.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100),
        };
        foreach (var (name, value) in command.Arguments)
        {
            message.Arguments[name] = value;
        }

        return new HubMessage { Command = message };
    }
}
