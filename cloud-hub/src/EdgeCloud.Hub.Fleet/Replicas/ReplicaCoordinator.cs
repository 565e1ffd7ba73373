using EdgeCloud.Hub.Fleet.Operations;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Hub.Storage.Replicas;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Replicas;

/// <summary>
/// This replica's part in the cluster. It renews the replica's lease every heartbeat and re-reads which agents
/// the other replicas hold. It acts on hints for agents whose stream is open here: it sends their queued
/// commands and new desired config, and closes the stream of a revoked agent, each time after reading the
/// shared store (a hint is never trusted alone). When the bus listens again after a lost connection, it catches
/// up from the store for every stream open here, since hints sent meanwhile were lost. On a clean stop it drops
/// its lease and presence rows, so its agents read offline at once; after a crash they do when the lease expires.
/// </summary>
internal sealed partial class ReplicaCoordinator(
    IReplicaBus bus,
    ClusterPresence presence,
    IReplicaPresenceStore presenceStore,
    ConnectionRegistry local,
    IFleetStore registry,
    CommandService commands,
    ConfigService configs,
    IOptions<ReplicaOptions> options,
    TimeProvider time,
    ILogger<ReplicaCoordinator> logger) : BackgroundService
{
    private const int PurgeEveryBeats = 60;
    private readonly List<IDisposable> _subscriptions = [];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(bus.Subscribe(ReplicaHints.CommandsTopic, (agentId, token) => WhenLocalAsync(agentId, id => commands.DeliverQueuedAsync(id, token))));
        _subscriptions.Add(bus.Subscribe(ReplicaHints.ConfigTopic, (agentId, token) => WhenLocalAsync(agentId, id => SendConfigAsync(id, token))));
        _subscriptions.Add(bus.Subscribe(ReplicaHints.RevokedTopic, (agentId, token) => WhenLocalAsync(agentId, id => CloseIfRevokedAsync(id, token))));
        _subscriptions.Add(bus.Subscribe(ReplicaHints.PresenceTopic, OnPresenceAsync));
        _subscriptions.Add(bus.OnResumed(CatchUpAsync));
        LogStarting(logger, presence.ReplicaId);
        await BeatAsync(0, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(2));
            await presenceStore.RemoveReplicaAsync(presence.ReplicaId, bounded.Token);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Its lease expires on its own.
            LogStopFailed(logger, presence.ReplicaId, error.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        var beat = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(++beat, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Renews the lease, re-reads the others' streams, now and then purges long-dead replicas.</summary>
    private async Task BeatAsync(int beat, CancellationToken cancellationToken)
    {
        try
        {
            if (await presenceStore.HeartbeatAsync(presence.ReplicaId, cancellationToken) && beat > 0)
            {
                // Our lease was purged during a long outage, and our presence rows with it: write them again.
                foreach (var open in local.ListOnline())
                {
                    await presenceStore.SetOnlineAsync(new ReplicaPresence(open.AgentId, presence.ReplicaId, open.AgentVersion, open.Peer, open.ConnectedAt), cancellationToken);
                }
            }

            presence.Replace(await presenceStore.ListOnlineAsync(presence.ReplicaId, options.Value.Lease, cancellationToken));
            if (beat % PurgeEveryBeats == 0)
            {
                await presenceStore.PurgeAsync(options.Value.Lease * 10, cancellationToken);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException and not OutOfMemoryException)
        {
            LogBeatFailed(logger, presence.ReplicaId, error.Message);
        }
    }

    private async ValueTask WhenLocalAsync(string agentId, Func<string, Task> work)
    {
        if (presence.IsLocal(agentId))
        {
            await work(agentId);
        }
    }

    private ValueTask OnPresenceAsync(string payload, CancellationToken cancellationToken)
    {
        if (!ReplicaHints.TryParsePresence(payload, out var connected, out var disconnected))
        {
            LogBadHint(logger, payload.Length > 80 ? payload[..80] : payload);
        }
        else if (connected is not null && connected.ReplicaId != presence.ReplicaId)
        {
            presence.Connected(connected);
        }
        else if (connected is null && disconnected.ReplicaId != presence.ReplicaId)
        {
            presence.Disconnected(disconnected.AgentId, disconnected.ReplicaId);
        }

        return ValueTask.CompletedTask;
    }

    private async Task SendConfigAsync(string agentId, CancellationToken cancellationToken)
    {
        if (await registry.GetAgentAsync(agentId, cancellationToken) is { RevokedAt: null } agent)
        {
            await configs.SendDesiredAsync(agent, null, cancellationToken);
        }
    }

    private async Task CloseIfRevokedAsync(string agentId, CancellationToken cancellationToken)
    {
        if (await registry.GetAgentAsync(agentId, cancellationToken) is { RevokedAt: not null })
        {
            local.Disconnect(agentId, $"agent '{agentId}' was revoked");
        }
    }

    /// <summary>What hints may have said while the bus was deaf, read from the store for every stream open here.</summary>
    private async ValueTask CatchUpAsync(CancellationToken cancellationToken)
    {
        var open = local.ListOnline();
        LogCatchingUp(logger, presence.ReplicaId, open.Count);
        foreach (var stream in open)
        {
            var agent = await registry.GetAgentAsync(stream.AgentId, cancellationToken);
            if (agent?.RevokedAt is not null)
            {
                local.Disconnect(stream.AgentId, $"agent '{stream.AgentId}' was revoked");
                continue;
            }

            await commands.DeliverQueuedAsync(stream.AgentId, cancellationToken);
            if (agent is not null)
            {
                await configs.SendDesiredAsync(agent, await configs.ReportedVersionAsync(agent.AgentId, cancellationToken), cancellationToken);
            }
        }

        presence.Replace(await presenceStore.ListOnlineAsync(presence.ReplicaId, options.Value.Lease, cancellationToken));
    }

    [LoggerMessage(EventId = 7600, Level = LogLevel.Information, Message = "Hub replica {ReplicaId} joining")]
    private static partial void LogStarting(ILogger logger, string replicaId);

    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "Replica {ReplicaId} could not renew its lease or read the others' agents: {Reason}")]
    private static partial void LogBeatFailed(ILogger logger, string replicaId, string reason);

    [LoggerMessage(EventId = 7602, Level = LogLevel.Information, Message = "Replica {ReplicaId} listens again: catching up from the store for its {Streams} open streams")]
    private static partial void LogCatchingUp(ILogger logger, string replicaId, int streams);

    [LoggerMessage(EventId = 7603, Level = LogLevel.Warning, Message = "Malformed presence hint ignored: {Payload}")]
    private static partial void LogBadHint(ILogger logger, string payload);

    [LoggerMessage(EventId = 7604, Level = LogLevel.Warning, Message = "Replica {ReplicaId} could not drop its lease at stop (it expires on its own): {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string replicaId, string reason);
}
