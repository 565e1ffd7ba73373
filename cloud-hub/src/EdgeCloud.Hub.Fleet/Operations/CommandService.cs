using System.Security.Claims;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Replicas;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Operations;

/// <summary>
/// Commands to agents (write-tag, restart, diagnostics, alarm.ack, alarm.shelve), each with a deadline. A command is stored first, then
/// sent by the replica that holds the agent's stream: at once when that is this one, else on a hint over the
/// replica bus to the others. For an agent online nowhere it stays queued only when asked (and goes out when the
/// agent connects to any replica, if still in time); otherwise it is refused. Sending takes the command from
/// queued to sent in the store first, so two replicas never both send it. A command without a result by its
/// deadline reads as timed-out. Results come back as CommandResult on the agent's stream, into the shared store,
/// so any replica answers for them.
/// </summary>
internal sealed class CommandService(IFleetOperationsStore store, IAgentSessions sessions, ClusterPresence presence, ReplicaHints hints, AuditLog audit, TimeProvider time)
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

        if (presence.Find(agent.AgentId) is null && !queueIfOffline)
        {
            await audit.RecordAsync(caller, "command." + kind, agent.AgentId, AuditLog.Refused, "agent offline and queueIfOffline is false", cancellationToken);
            throw new FleetRequestException(StatusCodes.Status409Conflict, "Agent offline", $"agent '{agent.AgentId}' is not connected; ask again with \"queueIfOffline\": true to deliver it when it connects");
        }

        var now = time.GetUtcNow();
        var command = new CommandRecord(Guid.NewGuid().ToString("N"), agent.Tenant, agent.AgentId, kind, arguments, Queued, null, FleetClaims.ActorOf(caller), now, now + timeout);
        await store.AddCommandAsync(command, cancellationToken);
        if (await TrySendAsync(command, cancellationToken))
        {
            command = command with { Status = Sent };
        }
        else
        {
            // Whichever replica holds the stream (or gets it next) reads it from the store.
            await hints.CommandsQueuedAsync(agent.AgentId, cancellationToken);
        }

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

    /// <summary>Sends the agent's queued commands that are still in time to its stream on this replica; the others time out.</summary>
    public async Task DeliverQueuedAsync(string agentId, CancellationToken cancellationToken)
    {
        foreach (var command in await store.ListCommandsAsync(agentId, Queued, cancellationToken))
        {
            if (time.GetUtcNow() > command.Deadline)
            {
                await store.UpdateCommandAsync(command.Id, agentId, TimedOut, "the agent did not connect before the deadline", cancellationToken);
            }
            else
            {
                await TrySendAsync(command, cancellationToken);
            }
        }
    }

    /// <summary>Claims the queued command and writes it to the agent's stream here; a full or missing stream puts it back in the queue.</summary>
    private async Task<bool> TrySendAsync(CommandRecord command, CancellationToken cancellationToken)
    {
        if (!presence.IsLocal(command.AgentId) || !await store.ClaimCommandAsync(command.Id, command.AgentId, cancellationToken))
        {
            return false;
        }

        if (sessions.TrySend(command.AgentId, Message(command)))
        {
            return true;
        }

        await store.UpdateCommandAsync(command.Id, command.AgentId, Queued, null, cancellationToken);
        return false;
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
