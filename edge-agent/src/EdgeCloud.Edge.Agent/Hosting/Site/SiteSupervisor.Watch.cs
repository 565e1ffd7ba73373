using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Sync.Directives;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// The revert watch. For <see cref="LiveConfigOptions.GraceSeconds"/> after a change the agent checks, once a
/// second, that the change broke nothing, and goes back to the previous config by itself (site and file)
/// when it did:
/// <list type="bullet">
/// <item>data flow: at the end of the grace period, the new site's devices delivered no good point while the
/// previous config's did, or a device that delivered under the previous config delivers nothing under the new
/// one (bad-quality points do not count: a dead device still publishes those);</item>
/// <item>hub link: it was up at the change, then stayed down for <see cref="LiveConfigOptions.LinkLossSeconds"/>
/// (a loss that began inside the grace period is judged to its end);</item>
/// <item>crashes: the agent started <see cref="LiveConfigOptions.MaxStartsInGrace"/> times with the change in force.</item>
/// </list>
/// The watch is on disk, so a restart inside the grace period resumes it (with at least half a grace period
/// left, so that the new site gets time to deliver). The "reverted" report waits on disk until the link is back.
/// </summary>
internal sealed partial class SiteSupervisor
{
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(1);
    private RevertWatchState? _watch;
    private DateTimeOffset _deadline;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(WatchPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await _gate.WaitAsync(stoppingToken);
                try
                {
                    if (_watch is not null && _current is not null && Judge(_watch, _current) is { } reason)
                    {
                        await RevertLockedAsync(_watch, reason);
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an unfinished watch stays on disk and resumes at the next start.
        }
    }

    private void StartWatch(RevertWatchState watch, DateTimeOffset deadline)
    {
        _files.SaveWatch(watch);
        (_watch, _deadline) = (watch, deadline);
    }

    /// <summary>At start: resumes the watch of the running version, if one is on disk.</summary>
    private void ResumeWatch(string running)
    {
        var watch = _files.LoadWatch();
        if (watch is null || !string.Equals(watch.Version, running, StringComparison.Ordinal))
        {
            _files.DeleteWatch();
            return;
        }

        var now = time.GetUtcNow();
        var deadline = watch.ChangedAt + _options.Grace;
        var least = now + (_options.Grace / 2);
        StartWatch(watch with { Starts = watch.Starts + 1 }, deadline > least ? deadline : least);
        LogWatchResumed(logger, running, watch.Starts + 1, _deadline);
    }

    /// <summary>The reason to revert now, or null (the watch ends when the grace period passed without one).</summary>
    private string? Judge(RevertWatchState watch, SiteRuntime site)
    {
        var now = time.GetUtcNow();
        if (watch.Starts > _options.MaxStartsInGrace)
        {
            return $"the agent started {watch.Starts} times within the grace period of this change";
        }

        var hub = link.Current;
        var linkLost = watch.LinkWasUp && !hub.Connected && hub.Since is { } since && since < _deadline;
        if (linkLost)
        {
            var down = now - (hub.Since > watch.ChangedAt ? hub.Since.Value : watch.ChangedAt);
            if (down >= _options.LinkLoss)
            {
                return $"the hub link broke after the change and stayed down for {down.TotalSeconds:F0} s ({hub.LastError})";
            }
        }

        if (now < _deadline)
        {
            return null;
        }

        var delivering = site.Sink.DevicesDelivering;
        if (watch.PreviousDelivering.Count > 0 && delivering.Count == 0)
        {
            return $"no good data from the new site's devices in {_options.GraceSeconds} s, while {string.Join(", ", watch.PreviousDelivering)} delivered under {watch.PreviousVersion}";
        }

        var configured = site.Config.Site.Devices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var silent = watch.PreviousDelivering.Where(d => configured.Contains(d) && !delivering.Contains(d, StringComparer.Ordinal)).ToList();
        if (silent.Count > 0)
        {
            return $"device {string.Join(", ", silent)} delivered under {watch.PreviousVersion} and no good data under this config in {_options.GraceSeconds} s";
        }

        if (!linkLost)
        {
            // Nothing broke within the grace period: the change stays.
            _files.DeleteWatch();
            _watch = null;
            LogConfirmed(logger, watch.Version, site.Sink.GoodPoints);
        }

        return null;
    }

    /// <summary>Puts the previous config back (site, then file), remembers the version as reverted and owes the hub a report.</summary>
    private async Task RevertLockedAsync(RevertWatchState watch, string reason)
    {
        var errors = new List<ConfigError>();
        var previous = watch.PreviousJson is null ? local.Site : ConfigLoader.TryParseSite($"hub config {watch.PreviousVersion}", watch.PreviousJson, errors);
        if (previous is null || errors.Count > 0)
        {
            // It validated when it ran; an agent update may have changed the rules since. The local config is the fallback.
            previous = local.Site;
        }

        LogReverting(logger, watch.Version, watch.PreviousVersion, reason);
        var running = _current!;
        if (await SwapAsync(running, SiteRuntime.Build(config, previous, watch.PreviousVersion, root)) is { } failure)
        {
            reason += $"; the previous config failed to start again ({failure}), so {watch.Version} still runs";
        }
        else if (watch.PreviousJson is null)
        {
            store.Clear();
        }
        else
        {
            store.Write(watch.PreviousVersion, watch.PreviousJson);
        }

        _files.AddRevert(watch.Version, reason);
        _files.DeleteWatch();
        _watch = null;
        root.GetRequiredService<HubDirectives>().Post(Report(watch.Version, "reverted", $"reverted to {watch.PreviousVersion}: {reason}"));
    }

    [LoggerMessage(EventId = 7623, Level = LogLevel.Warning, Message = "Site config {Version} is reverted to {Previous}: {Reason}")]
    private static partial void LogReverting(ILogger logger, string version, string previous, string reason);

    [LoggerMessage(EventId = 7624, Level = LogLevel.Information, Message = "Site config {Version} passed its grace period ({GoodPoints} good points from its devices); it stays")]
    private static partial void LogConfirmed(ILogger logger, string version, long goodPoints);

    [LoggerMessage(EventId = 7625, Level = LogLevel.Information, Message = "Site config {Version} started inside its grace period (start {Starts}); the revert watch runs until {Deadline:O}")]
    private static partial void LogWatchResumed(ILogger logger, string version, int starts, DateTimeOffset deadline);
}
