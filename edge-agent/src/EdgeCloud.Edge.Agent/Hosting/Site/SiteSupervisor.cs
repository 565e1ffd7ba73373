using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// Owns the running <see cref="SiteRuntime"/> and swaps it when the hub sends a site config: validate, build
/// the new site's container (the old site still runs), stop the old site, start the new one, point the
/// batcher's stages at it, then store the file. When the new site fails to start, the old config is built
/// and started again and the report says "refused"; the site file is written only after a successful
/// start. The outbox, the batcher and the hub link run on throughout: the old sources' last points are in
/// the pipeline and the batcher makes them durable in sequence like any other. One change at a time.
/// After a change the revert watch (SiteSupervisor.Watch.cs) runs for the grace period.
/// </summary>
internal sealed partial class SiteSupervisor(
    AgentConfig config,
    LocalSiteConfig local,
    SiteConfigStore store,
    PointStages stages,
    SyncStatus link,
    IOptions<LiveConfigOptions> options,
    IServiceProvider root,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SiteSupervisor> logger) : BackgroundService, ISiteConfigApplier
{
    /// <summary>The version the site config of the local agent.json runs under.</summary>
    public const string LocalVersion = "local";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RevertWatchFiles _files = new(store.Folder);
    private readonly LiveConfigOptions _options = options.Value;
    private SiteRuntime? _current;
    private bool _stopping;

    /// <summary>The running site; null only while a change swaps it.</summary>
    public SiteRuntime? Current => Volatile.Read(ref _current);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var version = store.Version is { Length: > 0 } stored && File.Exists(store.SitePath) ? stored : LocalVersion;
        await StartSiteAsync(SiteRuntime.Build(config, config.Site, version, root), cancellationToken);
        ResumeWatch(version);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            _stopping = true;
            if (Interlocked.Exchange(ref _current, null) is { } site)
            {
                await RetireAsync(site);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    public async Task<ConfigReport> ApplyAsync(string version, string siteConfigJson, CancellationToken cancellationToken)
    {
        var errors = new List<ConfigError>();
        var site = ConfigLoader.TryParseSite($"hub config {version}", siteConfigJson, errors);
        if (site is null || errors.Count > 0)
        {
            return Report(version, "refused", string.Join("; ", errors.Select(e => e.ToString())));
        }

        if (_files.RevertReason(version) is { } reason)
        {
            return Report(version, "reverted", $"this version was reverted by the agent ({reason}); it is not applied again: push a new version to retry");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await ApplyLockedAsync(version, siteConfigJson, site);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ConfigReport> ApplyLockedAsync(string version, string json, SiteConfig site)
    {
        var previous = _current ?? throw new InvalidOperationException("the agent is stopping");
        if (string.Equals(previous.Version, version, StringComparison.Ordinal))
        {
            return Report(version, "applied", "already in force");
        }

        SiteRuntime next;
        try
        {
            next = SiteRuntime.Build(config, site, version, root);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Report(version, "refused", $"the site could not be built: {ex.Message}; {previous.Version} keeps running");
        }

        var previousJson = string.Equals(previous.Version, LocalVersion, StringComparison.Ordinal) ? null : File.ReadAllText(store.SitePath);
        var delivering = previous.Sink.DevicesDelivering;
        var linkUp = link.Current.Connected;
        if (await SwapAsync(previous, next) is { } failure)
        {
            return Report(version, "refused", $"the new site failed to start ({failure}); {previous.Version} runs again");
        }

        // The watch first, then the file: a crash between the two leaves a watch of a version not on disk, which
        // the next start drops, and the old file runs.
        var now = time.GetUtcNow();
        StartWatch(new RevertWatchState(version, now, previous.Version, previousJson, delivering, linkUp, Starts: 1), now + _options.Grace);
        store.Write(version, json);
        LogApplied(logger, version, previous.Version);
        return Report(version, "applied", $"in force since {now:O} without a restart (replaced {previous.Version}); reverted by the agent if data or the hub link stop within {_options.GraceSeconds} s");
    }

    /// <summary>
    /// Stops <paramref name="old"/>, starts <paramref name="next"/>; when that fails, builds and starts the old
    /// config again and returns why. Runs to the end whatever the session does: a half-swapped agent is worse.
    /// </summary>
    private async Task<string?> SwapAsync(SiteRuntime old, SiteRuntime next)
    {
        Volatile.Write(ref _current, null);
        await RetireAsync(old);
        try
        {
            await StartSiteAsync(next, CancellationToken.None);
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSiteFailed(logger, next.Version, ex);
            await RetireAsync(next);
            await StartSiteAsync(SiteRuntime.Build(config, old.Config.Site, old.Version, root), CancellationToken.None);
            return ex.Message;
        }
    }

    private async Task StartSiteAsync(SiteRuntime site, CancellationToken cancellationToken)
    {
        try
        {
            await site.StartAsync(cancellationToken);
        }
        catch
        {
            await RetireAsync(site);
            throw;
        }

        stages.Replace(site.Stages);
        Volatile.Write(ref _current, site);

        // A site service that crashes stops the site's host: the agent stops too (exit 1), as before sites
        // were swappable, so that systemd restarts it.
        site.Stopping.Register(() =>
        {
            if (!_stopping && ReferenceEquals(Volatile.Read(ref _current), site))
            {
                LogSiteStopped(logger, site.Version);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
            }
        });
    }

    /// <summary>Takes the site's stages out of the batcher, then stops and disposes it.</summary>
    private async Task RetireAsync(SiteRuntime site)
    {
        if (ReferenceEquals(Volatile.Read(ref _current), site))
        {
            Volatile.Write(ref _current, null);
        }

        stages.Replace([]);
        try
        {
            await site.StopAsync(CancellationToken.None);
        }
        finally
        {
            await site.DisposeAsync();
        }
    }

    private static ConfigReport Report(string version, string state, string detail) =>
        new() { ConfigVersion = version, State = state, Applied = state == "applied", Detail = detail };

    [LoggerMessage(EventId = 7620, Level = LogLevel.Information, Message = "Site config {Version} is in force (replaced {Previous}), without a restart")]
    private static partial void LogApplied(ILogger logger, string version, string previous);

    [LoggerMessage(EventId = 7621, Level = LogLevel.Error, Message = "Site config {Version} failed to start; the previous config runs again")]
    private static partial void LogSiteFailed(ILogger logger, string version, Exception error);

    [LoggerMessage(EventId = 7622, Level = LogLevel.Critical, Message = "The site of config {Version} stopped by itself (a source failed); the agent stops so that its supervisor restarts it")]
    private static partial void LogSiteStopped(ILogger logger, string version);
}
