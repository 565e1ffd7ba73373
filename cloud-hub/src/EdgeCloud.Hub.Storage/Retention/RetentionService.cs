using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>
/// Deletes data older than its tier's limit (<see cref="RetentionOptions"/>), one bounded step at a time with
/// a pause between steps, so ingest never waits long behind it. Cutoffs come from the injected
/// <see cref="TimeProvider"/>. With <paramref name="policies"/> (the fleet registry) each stored agent is
/// resolved to its own tiers and deleted agent by agent; without, one cutoff per tier applies to all. With
/// several replicas each runs the job; their steps delete disjoint rows or find nothing, which is harmless.
/// A store without tiers (a test double) gives a null <c>retention</c>: the job idles.
/// </summary>
internal sealed partial class RetentionService(
    ITelemetryRetention? retention,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger,
    ITelemetryStore? store = null,
    IAgentRetentionPolicies? policies = null) : BackgroundService
{
    private static readonly RetentionTier[] Tiers = [RetentionTier.Raw, RetentionTier.OneMinute, RetentionTier.OneHour];

    /// <summary>Runs one full pass over every tier (and every agent, with policies); returns the rows deleted per tier.</summary>
    public async Task<IReadOnlyDictionary<RetentionTier, long>> RunPassAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        var settings = options.Value;
        var now = time.GetUtcNow();
        var deleted = Tiers.ToDictionary(t => t, _ => 0L);
        if (policies is not null && store is not null)
        {
            var agents = (await store.ListAgentsAsync(cancellationToken)).Select(a => a.AgentId).ToList();
            var tiers = await policies.ResolveAsync(agents, cancellationToken);
            foreach (var agentId in agents)
            {
                var agentTiers = tiers.TryGetValue(agentId, out var resolved) ? resolved : RetentionTiers.DefaultsOf(settings);
                foreach (var tier in Tiers)
                {
                    deleted[tier] += await DeleteTierAsync(tier, agentId, agentTiers.DaysOf(tier), now, settings, cancellationToken);
                }
            }
        }
        else
        {
            var defaults = RetentionTiers.DefaultsOf(settings);
            foreach (var tier in Tiers)
            {
                deleted[tier] += await DeleteTierAsync(tier, null, defaults.DaysOf(tier), now, settings, cancellationToken);
            }
        }

        foreach (var (tier, rows) in deleted.Where(d => d.Value > 0))
        {
            LogDeleted(logger, rows, tier);
        }

        return deleted;
    }

    /// <summary>Deletes one tier (of one agent, or of all when <paramref name="agentId"/> is null) in bounded steps.</summary>
    private async Task<long> DeleteTierAsync(RetentionTier tier, string? agentId, int days, DateTimeOffset now, RetentionOptions settings, CancellationToken cancellationToken)
    {
        if (days == 0)
        {
            return 0;
        }

        var cutoff = UnixNanos.From(now.AddDays(-days));
        long deleted = 0;
        int step;
        do
        {
            step = agentId is null
                ? await retention!.DeleteExpiredAsync(tier, cutoff, settings.BatchSize, cancellationToken)
                : await retention!.DeleteExpiredAsync(tier, agentId, cutoff, settings.BatchSize, cancellationToken);
            deleted += step;

            // At least, not exactly: a block store bounds a step by blocks and counts the points in them, so a
            // full step may return more than was asked (ITelemetryRetention).
            if (step >= settings.BatchSize && settings.PauseBetweenBatches > TimeSpan.Zero)
            {
                await Task.Delay(settings.PauseBetweenBatches, time, cancellationToken);
            }
        }
        while (step >= settings.BatchSize);

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || retention is null)
        {
            LogDisabled(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed pass (database briefly away) is retried at the next interval; nothing is lost by waiting.
                LogPassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Retention deleted {Rows} rows of tier {Tier}")]
    private static partial void LogDeleted(ILogger logger, long rows, RetentionTier tier);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Retention pass failed; retrying at the next interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Retention is disabled (Retention:Enabled=false, or the store keeps no tiers)")]
    private static partial void LogDisabled(ILogger logger);
}
