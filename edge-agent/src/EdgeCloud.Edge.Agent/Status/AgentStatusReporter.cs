using System.Reflection;
using EdgeCloud.Edge.Agent.Hosting.Site;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Metrics;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Time;
using EdgeCloud.Edge.Updates.Hosting;
using EdgeCloud.Edge.Updates.Slots;

namespace EdgeCloud.Edge.Agent.Status;

/// <summary>
/// Builds the status report and the health verdict from what the agent already keeps: the outbox's
/// stats, the sync status, the clock, the Modbus counters in the exporter. Health probes the
/// outbox writer with a one-batch read through its command queue: a failed or wedged writer
/// (the thread every append goes through) does not answer within <see cref="ProbeTimeout"/>.
/// </summary>
internal sealed class AgentStatusReporter(
    AgentConfig config,
    IOutbox outbox,
    SyncStatus sync,
    IClockStatus clock,
    AckProgress acks,
    PrometheusExporter exporter,
    UpdateStatus updates,
    RunningBuild build,
    TimeProvider time,
    SiteSupervisor? sites = null)
{
    /// <summary>How long the outbox writer may take to answer the health probe.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public static string Version { get; } =
        typeof(AgentStatusReporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AgentStatusReporter).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public async Task<AgentStatusReport.HealthPart> CheckHealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await outbox.ProbeAsync(timeout.Token);
            return new AgentStatusReport.HealthPart(true, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AgentStatusReport.HealthPart(false, $"the outbox writer did not answer within {ProbeTimeout.TotalSeconds:0} s");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return new AgentStatusReport.HealthPart(false, "the outbox failed: " + (error.InnerException?.Message ?? error.Message));
        }
    }

    public async Task<AgentStatusReport> BuildAsync(CancellationToken cancellationToken)
    {
        var health = await CheckHealthAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stats = outbox.GetStats();
        var link = sync.Current;
        var rate = acks.RatePerSecond();
        return new AgentStatusReport(
            config.AgentId,
            Version,
            now,
            _startedAt,
            Math.Round((now - _startedAt).TotalSeconds, 1),
            health,
            new AgentStatusReport.OutboxPart(
                stats.Batches, stats.Points, stats.JournalBytes + stats.StoreBytes, stats.LastDurableSequence, stats.LastAcknowledgedSequence, stats.DroppedBatches, stats.DroppedPoints),
            new AgentStatusReport.SyncPart(
                config.Hub.Url, link.Connected, link.Since, link.LastError, link.BatchesSent, link.LastAcknowledged, acks.LastMovedAt, Math.Round(rate, 3),
                stats.Batches == 0 ? 0 : rate > 0 ? Math.Round(stats.Batches / rate, 1) : null),
            clock.IsSynchronized,
            Devices(),
            Update());
    }

    private AgentStatusReport.UpdatePart Update()
    {
        var rollout = updates.Current;
        var trial = build.Slot is not null && SlotState.Read(build.Slots) is { Trial: true } state && state.Active == build.Slot;
        return new AgentStatusReport.UpdatePart(
            build.Version, build.Slot, trial, rollout?.Campaign, rollout is null ? null : $"{rollout.Kind} {rollout.Name} {rollout.Version}",
            rollout?.State, rollout?.BytesDone ?? 0, rollout?.Size ?? 0, rollout?.Reason, rollout?.Detail);
    }

    private List<AgentStatusReport.DevicePart> Devices()
    {
        // The Modbus sources count polls and errors per device; reading them here costs nothing.
        var polls = exporter.Read("edge_modbus_polls");
        var errors = exporter.Read("edge_modbus_poll_errors");
        // The site in force now: a live config change replaces its devices.
        var site = sites?.Current?.Config.Site ?? config.Site;
        return [.. site.Devices.Select(d => new AgentStatusReport.DevicePart(d.Name, d.Protocol, SumFor(polls, d.Name), SumFor(errors, d.Name)))];
    }

    private static long SumFor(IReadOnlyList<MetricReading> readings, string device) =>
        (long)readings.Where(r => r.Labels.TryGetValue("device", out var name) && name == device).Sum(r => r.Value);
}
