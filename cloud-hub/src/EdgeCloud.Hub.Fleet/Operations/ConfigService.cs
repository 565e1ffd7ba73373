using System.Security.Claims;
using System.Text;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Replicas;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Ingest.Connections;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Operations;

/// <summary>
/// Desired site config per agent or per group. A push is validated with the agent's own validator
/// (<see cref="ConfigLoader.TryParseSite"/> from EdgeCloud.Edge.Core) and refused with every error listed,
/// so an agent never receives a config it would refuse; otherwise it becomes the target's next version and
/// goes out as DesiredConfig to the target's online agents at once, and to the others when they connect
/// (their Hello names the version they run). An agent whose stream another replica holds gets it from that
/// replica, after a hint over the replica bus. An agent's own config wins over its groups'; among groups the
/// first by name that has one.
/// </summary>
internal sealed class ConfigService(
    IFleetStore registry, IFleetOperationsStore store, IAgentSessions sessions, ClusterPresence presence, ReplicaHints hints, AuditLog audit, TimeProvider time)
{
    public const string AgentTarget = "agent";
    public const string GroupTarget = "group";

    /// <summary>Validates and stores the next version for the target, then delivers it; returns it and how many agents it went to now.</summary>
    public async Task<(SiteConfigRecord Config, int Delivered, int Targets)> PushAsync(
        ClaimsPrincipal caller, string kind, string target, string siteConfigJson, CancellationToken cancellationToken)
    {
        var tenant = FleetClaims.TenantOf(caller)!;
        var errors = new List<ConfigError>();
        if (ConfigLoader.TryParseSite($"{kind}:{target}", siteConfigJson, errors) is null || errors.Count > 0)
        {
            var listed = string.Join("; ", errors.Select(e => e.ToString()));
            await audit.RecordAsync(caller, "config.push", $"{kind}:{target}", AuditLog.Refused, listed, cancellationToken);
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid site config", listed);
        }

        var targets = await TargetsAsync(tenant, kind, target, cancellationToken);
        var config = await store.AddSiteConfigAsync(new SiteConfigRecord(tenant, kind, target, 0, siteConfigJson, FleetClaims.ActorOf(caller), time.GetUtcNow()), cancellationToken);
        await audit.RecordAsync(caller, "config.push", $"{kind}:{target}", AuditLog.Ok, $"version {config.VersionTag} for {targets.Count} agents", cancellationToken);
        var delivered = 0;
        foreach (var agent in targets)
        {
            // An agent with a config of its own keeps it over a group's.
            if (await DesiredForAsync(agent, cancellationToken) is not { } desired || desired.VersionTag != config.VersionTag)
            {
                continue;
            }

            if (sessions.TrySend(agent.AgentId, Message(desired)))
            {
                delivered++;
            }
            else if (presence.RemoteHolder(agent.AgentId) is not null)
            {
                await hints.ConfigChangedAsync(agent.AgentId, cancellationToken);
                delivered++;
            }
        }

        return (config, delivered, targets.Count);
    }

    /// <summary>The config an agent should run, or null when none was pushed for it or its groups.</summary>
    public async Task<SiteConfigRecord?> DesiredForAsync(FleetAgentRecord agent, CancellationToken cancellationToken)
    {
        if (await store.GetLatestSiteConfigAsync(agent.Tenant, AgentTarget, agent.AgentId, cancellationToken) is { } own)
        {
            return own;
        }

        foreach (var group in agent.Groups.Order(StringComparer.Ordinal))
        {
            if (await store.GetLatestSiteConfigAsync(agent.Tenant, GroupTarget, group, cancellationToken) is { } forGroup)
            {
                return forGroup;
            }
        }

        return null;
    }

    /// <summary>Sends the desired config to the agent's stream on this replica unless it runs <paramref name="runningVersion"/> already.</summary>
    public async Task SendDesiredAsync(FleetAgentRecord agent, string? runningVersion, CancellationToken cancellationToken)
    {
        if (await DesiredForAsync(agent, cancellationToken) is { } desired && !string.Equals(desired.VersionTag, runningVersion, StringComparison.Ordinal))
        {
            sessions.TrySend(agent.AgentId, Message(desired));
        }
    }

    /// <summary>The version the agent last reported (whatever it did with it), or null.</summary>
    public async Task<string?> ReportedVersionAsync(string agentId, CancellationToken cancellationToken) =>
        (await store.GetConfigReportAsync(agentId, cancellationToken))?.Version;

    private async Task<List<FleetAgentRecord>> TargetsAsync(string tenant, string kind, string target, CancellationToken cancellationToken)
    {
        var agents = await registry.ListAgentsAsync(tenant, cancellationToken);
        return [.. agents.Where(a => a.RevokedAt is null && (kind == AgentTarget ? a.AgentId == target : a.Groups.Contains(target, StringComparer.Ordinal)))];
    }

    private static HubMessage Message(SiteConfigRecord config) => new()
    {
        DesiredConfig = new DesiredConfig { ConfigVersion = config.VersionTag, SiteConfigJson = ByteString.CopyFrom(config.Json, Encoding.UTF8) },
    };
}
