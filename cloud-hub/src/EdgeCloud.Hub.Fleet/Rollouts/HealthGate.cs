using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>
/// The soak check of one agent against the baseline its AgentHealth gave before the directive. Counters
/// are "since the agent started", so a restart (a new agent build) resets them: a counter lower than at the
/// start of the soak is read as counted from zero. Rates are per produced point, so a fast and a slow site
/// compare alike. Pure: the caller stores what it returns.
/// </summary>
internal static class HealthGate
{
    public static HealthSample Sample(AgentHealth health) =>
        new(health.OutboxBatches, health.PollErrors, health.PointsProduced, health.InferenceErrors);

    /// <summary>
    /// The agent's row after one look at it during its soak: unchanged (same instance), still soaking with
    /// updated bookkeeping, <c>healthy</c> once the soak ended well, or <c>unhealthy</c> with a reason.
    /// </summary>
    public static CampaignAgentRecord Check(
        CampaignAgentRecord agent, CampaignRecord campaign, string kind, bool connected, AgentHealth? health, DateTimeOffset now, TimeSpan offlineGrace)
    {
        if (!connected)
        {
            if (agent.OfflineSince is not { } since)
            {
                return agent with { OfflineSince = now };
            }

            return now - since > offlineGrace || now >= agent.SoakUntil
                ? Unhealthy(agent, "offline", $"disconnected since {since:O} during the soak")
                : agent;
        }

        var current = health is null ? null : Sample(health);
        var updated = agent.OfflineSince is null ? agent : agent with { OfflineSince = null };
        if (updated.SoakStart is null && current is not null)
        {
            updated = updated with { SoakStart = current };
        }

        var baseline = agent.Baseline ?? new HealthSample(0, 0, 0, 0);
        if (current is not null && current.OutboxBatches > baseline.OutboxBatches + (ulong)campaign.OutboxMargin)
        {
            return Unhealthy(updated, "outbox_growing", $"outbox holds {current.OutboxBatches} batches, baseline {baseline.OutboxBatches} + margin {campaign.OutboxMargin}");
        }

        if (now < agent.SoakUntil)
        {
            return updated;
        }

        if (current is null || updated.SoakStart is not { } start)
        {
            return Unhealthy(updated, "no_health", "no health report during the soak");
        }

        var points = Delta(start.PointsProduced, current.PointsProduced);
        if (points == 0)
        {
            return Unhealthy(updated, "no_data", $"no points produced during the soak ({current.PointsProduced} since start)");
        }

        var errorRate = (double)Delta(start.PollErrors, current.PollErrors) / points;
        var baselineErrorRate = (double)baseline.PollErrors / Math.Max(baseline.PointsProduced, 1);
        if (errorRate > baselineErrorRate + campaign.PollErrorMargin)
        {
            return Unhealthy(updated, "poll_errors", $"{errorRate:0.####} poll errors per point, baseline {baselineErrorRate:0.####} + margin {campaign.PollErrorMargin}");
        }

        if (kind == "model")
        {
            var inferenceRate = (double)Delta(start.InferenceErrors, current.InferenceErrors) / points;
            var baselineInference = (double)baseline.InferenceErrors / Math.Max(baseline.PointsProduced, 1);
            if (inferenceRate > baselineInference)
            {
                return Unhealthy(updated, "inference_errors", $"{inferenceRate:0.####} inference errors per point, baseline {baselineInference:0.####}");
            }
        }

        return updated with { State = CampaignStates.Healthy, Detail = $"healthy for {campaign.SoakSeconds} s: {points} points, {Delta(start.PollErrors, current.PollErrors)} poll errors" };
    }

    private static ulong Delta(ulong start, ulong now) => now >= start ? now - start : now;

    private static CampaignAgentRecord Unhealthy(CampaignAgentRecord agent, string reason, string detail) =>
        agent with { State = CampaignStates.Unhealthy, Reason = reason, Detail = detail };
}
