using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>
/// Deletes data older than its tier's limit (<see cref="RetentionOptions"/>), one bounded step at a time with
/// a pause between steps, so ingest never waits long behind it. Cutoffs come from the injected
/// <see cref="TimeProvider"/>. With several replicas each runs the job; their steps delete disjoint rows or
/// find nothing, which is harmless. A store without tiers (a test double) gives a null <c>retention</c>: the job idles.
/// </summary>
internal sealed partial class RetentionService(
    ITelemetryRetention? retention, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{

    /// <summary>Runs one full pass over every tier; returns the rows deleted per tier.</summary>
    public async Task<IReadOnlyDictionary<RetentionTier, long>> RunPassAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retention);
        var settings = options.Value;
        var now = time.GetUtcNow();
        var deleted = new Dictionary<RetentionTier, long>();
        foreach (var (tier, days) in new[] { (RetentionTier.Raw, settings.RawDays), (RetentionTier.OneMinute, settings.MinuteDays), (RetentionTier.OneHour, settings.HourDays) })
        {
            deleted[tier] = 0;
            if (days == 0)
            {
                continue;
            }

            var cutoff = UnixNanos.From(now.AddDays(-days));
            int step;
            do
            {
                step = await retention.DeleteExpiredAsync(tier, cutoff, settings.BatchSize, cancellationToken);
                deleted[tier] += step;
                if (step == settings.BatchSize && settings.PauseBetweenBatches > TimeSpan.Zero)
                {
                    await Task.Delay(settings.PauseBetweenBatches, time, cancellationToken);
                }
            }
            while (step == settings.BatchSize);

            if (deleted[tier] > 0)
            {
                LogDeleted(logger, deleted[tier], tier, days);
            }
        }

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

    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Retention deleted {Rows} rows of tier {Tier} older than {Days} days")]
    private static partial void LogDeleted(ILogger logger, long rows, RetentionTier tier, int days);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Retention pass failed; retrying at the next interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Retention is disabled (Retention:Enabled=false, or the store keeps no tiers)")]
    private static partial void LogDisabled(ILogger logger);
}
