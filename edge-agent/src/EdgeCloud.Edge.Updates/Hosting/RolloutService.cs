using System.Threading.Channels;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Files;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Download;
using EdgeCloud.Edge.Updates.Install;
using EdgeCloud.Edge.Updates.Slots;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Updates.Hosting;

/// <summary>
/// Carries out rollout directives one at a time: download (resumable), verify, install, report. The directive
/// being carried out is kept in <c>updates/pending.bin</c> until its outcome is known, so an agent killed at any
/// step picks it up again at start: the download resumes, verification runs again, an interrupted unpack starts
/// over; the slot switch itself is one rename (<see cref="SlotState"/>). An agent build ends with a restart: the
/// agent stops with exit code 75 and systemd starts the launcher again.
/// </summary>
internal sealed partial class RolloutService(
    AgentConfig config,
    RolloutReports reports,
    UpdateStatus status,
    ReleaseKeys keys,
    RunningBuild running,
    IEnumerable<IModelLoadVerdicts> verdicts,
    Func<HttpClient> downloads,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<RolloutService> logger) : BackgroundService, IRolloutHandler
{
    /// <summary>The exit code that asks systemd for a restart (EX_TEMPFAIL; the unit restarts on failure).</summary>
    public const int RestartExitCode = 75;

    private readonly Channel<RolloutDirective> _queue = Channel.CreateBounded<RolloutDirective>(new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly InstalledVersions _installed = new(Path.Combine(config.DataDirectory, "updates"));
    private RolloutDirective? _current;

    private string Folder => Path.Combine(config.DataDirectory, "updates");

    private string PendingPath => Path.Combine(Folder, "pending.bin");

    public Task AcceptAsync(RolloutDirective directive, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } current && current.CampaignId == directive.CampaignId && current.Artifact == directive.Artifact)
        {
            // The hub sent it again (a reconnect): the one in progress answers with its next report.
            return Task.CompletedTask;
        }

        if (AlreadyDone(directive) is { } done)
        {
            reports.Publish(done);
            return Task.CompletedTask;
        }

        Directory.CreateDirectory(Folder);
        if (!File.Exists(PendingPath))
        {
            DurableFile.Write(PendingPath, s => directive.WriteTo(s));
        }

        if (!_queue.Writer.TryWrite(directive))
        {
            reports.Publish(Progress(directive, "failed", RolloutReasons.InstallFailed, "the agent has rollouts waiting; send it again later"));
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (ReadPending() is { } pending)
        {
            var state = SlotState.Read(config.Updates.SlotsDirectory);
            if (pending.Kind == "agent" && state is not null && state.Artifact == pending.Artifact && state.Campaign == pending.CampaignId && (state.Trial || state.Outcome.Length > 0 || state.Reason.Length > 0))
            {
                // Killed after the switch and before the pending directive was removed: the switch stands.
                File.Delete(PendingPath);
            }
            else
            {
                LogResumed(logger, pending.CampaignId, pending.Kind, pending.Name, pending.Version);
                _queue.Writer.TryWrite(pending);
            }
        }

        await foreach (var directive in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            if (AlreadyDone(directive) is { } done)
            {
                // Queued twice (resumed at start and sent again by the hub): the first run settled it.
                reports.Publish(done);
                continue;
            }

            Volatile.Write(ref _current, directive);
            try
            {
                await RunAsync(directive, stoppingToken);
            }
            finally
            {
                Volatile.Write(ref _current, null);
            }
        }
    }

    private async Task RunAsync(RolloutDirective directive, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Folder, "work");
        try
        {
            Report(directive, "downloading", bytes: 0);
            var downloader = new ArtifactDownloader(downloads(), config.Hub.Url, config.Updates.Download, time);
            var lastPercent = -1;
            var file = await downloader.DownloadAsync(directive, work, bytes =>
            {
                var percent = Percent(bytes, directive.Size);
                status.Set(Snapshot(directive, "downloading", bytes, null, null));
                if (percent != lastPercent)
                {
                    lastPercent = percent;
                    reports.Publish(Progress(directive, "downloading", null, null, bytes));
                }
            }, cancellationToken);
            Report(directive, "downloaded", directive.Size);

            var installed = directive.Kind == "agent" ? running.Installed : _installed.Get(directive.Kind, directive.Name);
            ArtifactVerifier.Verify(file, directive, keys, installed);
            Report(directive, "verified", directive.Size);
            Report(directive, "installing", directive.Size);
            await InstallAsync(directive, file, work, cancellationToken);
        }
        catch (RolloutRefusedException refused)
        {
            Finish(directive, work, "failed", refused.Reason, refused.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the pending directive and the partial download stay for the next start.
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Finish(directive, work, "failed", RolloutReasons.InstallFailed, error.Message);
        }
    }

    private async Task InstallAsync(RolloutDirective directive, string file, string work, CancellationToken cancellationToken)
    {
        switch (directive.Kind)
        {
            case "model":
                var loaded = await new ModelInstaller(config.ModelsDirectory, verdicts.FirstOrDefault()).InstallAsync(file, directive.Name, work, cancellationToken);
                _installed.Set(directive.Kind, directive.Name, directive.Version);
                Finish(directive, work, "succeeded", null, loaded);
                break;
            case "firmware":
                var output = await new FirmwareInstaller(config.Updates).InstallAsync(file, directive.Name, cancellationToken);
                _installed.Set(directive.Kind, directive.Name, directive.Version);
                Finish(directive, work, "succeeded", null, output);
                break;
            case "agent":
                var state = SlotState.Read(config.Updates.SlotsDirectory) ?? SlotState.Initial(running.Version);
                var window = directive.HealthWindowSeconds > 0 ? (int)directive.HealthWindowSeconds : (int)config.Updates.HealthWindow.TotalSeconds;
                var next = AgentInstaller.InstallAndSwitch(file, config.Updates.SlotsDirectory, state, running.Version, directive.Version, window, directive.CampaignId, directive.Artifact);
                Finish(directive, work, "installing", null, $"installed into slot {next.Active}; restarting into it on trial (health window {window} s)");
                LogSwitched(logger, directive.Version, next.Active);
                await WaitReportedAsync(TimeSpan.FromSeconds(3), cancellationToken);
                Environment.ExitCode = RestartExitCode;
                lifetime.StopApplication();
                break;
            default:
                throw new RolloutRefusedException(RolloutReasons.InstallFailed, $"unknown artifact kind '{directive.Kind}' (agent, firmware or model)");
        }
    }

    /// <summary>The answer to a directive whose outcome is known already, or null when it must run.</summary>
    private RolloutProgress? AlreadyDone(RolloutDirective directive)
    {
        if (directive.Kind == "agent")
        {
            var state = SlotState.Read(config.Updates.SlotsDirectory);
            if (state is { Trial: true } && state.Campaign == directive.CampaignId && state.Artifact == directive.Artifact)
            {
                // Installed and on trial: the health gate reports "switched", then the outcome.
                return Progress(directive, "switched", null, $"version {directive.Version} runs on trial from slot {state.Active}");
            }

            if (state is { Trial: false } && state.Campaign == directive.CampaignId && state.Artifact == directive.Artifact && state.Reason.Length > 0)
            {
                return Progress(directive, "rolled_back", state.Reason, $"version {directive.Version} was installed and rolled back ({state.Reason}); {running.Version} runs");
            }

            return running.Version == directive.Version && state is not { Trial: true }
                ? Progress(directive, "succeeded", null, $"version {directive.Version} runs already")
                : null;
        }

        return _installed.Get(directive.Kind, directive.Name) == directive.Version
            ? Progress(directive, "succeeded", null, $"{directive.Kind} {directive.Name} {directive.Version} is installed already")
            : null;
    }

    private void Finish(RolloutDirective directive, string work, string state, string? reason, string detail)
    {
        File.Delete(PendingPath);
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        status.Set(Snapshot(directive, state, state == "failed" ? 0 : directive.Size, reason, detail));
        reports.Publish(Progress(directive, state, reason, detail, directive.Size));
        LogOutcome(logger, directive.CampaignId, directive.Kind, directive.Name, directive.Version, state, reason ?? "", detail);
    }

    private void Report(RolloutDirective directive, string state, ulong bytes)
    {
        status.Set(Snapshot(directive, state, bytes, null, null));
        reports.Publish(Progress(directive, state, null, null, bytes));
    }

    private async Task WaitReportedAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var until = time.GetTimestamp();
        while (reports.Pending().Count > 0 && time.GetElapsedTime(until) < limit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }
    }

    private RolloutDirective? ReadPending()
    {
        try
        {
            return File.Exists(PendingPath) ? RolloutDirective.Parser.ParseFrom(File.ReadAllBytes(PendingPath)) : null;
        }
        catch (InvalidProtocolBufferException)
        {
            File.Delete(PendingPath);
            return null;
        }
    }

    private RolloutProgress Progress(RolloutDirective d, string state, string? reason, string? detail, ulong bytes = 0) => new()
    {
        CampaignId = d.CampaignId,
        Artifact = d.Artifact,
        State = state,
        Percent = (uint)Percent(bytes, d.Size),
        Reason = reason ?? "",
        Detail = detail ?? "",
        RunningVersion = running.Version,
        BytesDone = bytes,
    };

    private static UpdateStatus.Snapshot Snapshot(RolloutDirective d, string state, ulong bytes, string? reason, string? detail) =>
        new(d.CampaignId, d.Kind, d.Name, d.Version, state, bytes, d.Size, reason, detail);

    private static int Percent(ulong bytes, ulong size) => size == 0 ? 100 : (int)(bytes * 100 / size);

    [LoggerMessage(EventId = 7701, Level = LogLevel.Information, Message = "Rollout {Campaign}: {Kind} {Name} {Version}: {State} {Reason} {Detail}")]
    private static partial void LogOutcome(ILogger logger, string campaign, string kind, string name, string version, string state, string reason, string detail);

    [LoggerMessage(EventId = 7702, Level = LogLevel.Information, Message = "Rollout {Campaign}: resuming {Kind} {Name} {Version} after a restart")]
    private static partial void LogResumed(ILogger logger, string campaign, string kind, string name, string version);

    [LoggerMessage(EventId = 7703, Level = LogLevel.Warning, Message = "Agent {Version} installed into slot {Slot}: stopping so that systemd starts it on trial")]
    private static partial void LogSwitched(ILogger logger, string version, string slot);
}
