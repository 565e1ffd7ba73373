using EdgeCloud.Hub.Api.Formatting;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Api.Agents;

/// <summary>An agent's last health report (sync.proto AgentHealth), as JSON.</summary>
internal sealed record HealthView(
    string At,
    ulong OutboxBatches,
    ulong OutboxBytes,
    ulong PollErrors,
    bool ClockSynchronized,
    ulong BacklogBatches,
    uint BacklogEtaSeconds)
{
    public static HealthView? From(AgentHealth? health) => health is null
        ? null
        : new HealthView(
            Iso8601.FormatUnixNanos((long)Math.Min(health.TimeUnixNano, long.MaxValue)),
            health.OutboxBatches,
            health.OutboxBytes,
            health.PollErrors,
            health.ClockSynchronized,
            health.BacklogBatches,
            health.BacklogEtaSeconds);
}
