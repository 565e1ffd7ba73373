using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Slots;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Updates.Hosting;

/// <summary>
/// The agent's half of the A/B health gate. On a trial start (the state says trial and this process is the
/// active slot) it reports "switched", then commits once the hub link is up and data flows (points produced, and
/// a batch made durable after this start acknowledged by the hub; the link alone when no device is configured), or, when the health
/// window closes first (measured from the trial's first start, kept in the state across restarts), switches
/// back and stops for systemd to start the previous build. A result the previous build must report (a rollback
/// by the launcher or by this gate) waits in the state until a session sent it.
/// </summary>
internal sealed partial class TrialGate(
    AgentConfig config,
    RunningBuild running,
    SyncStatus sync,
    IOutbox outbox,
    IAgentHealthCounters counters,
    RolloutReports reports,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<TrialGate> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private string Slots => config.Updates.SlotsDirectory;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var state = SlotState.Read(Slots);
        if (state is null)
        {
            return;
        }

        if (!state.Trial)
        {
            if (state.Outcome.Length > 0)
            {
                await ReportAsync(state, state.Outcome, state.Reason, OutcomeDetail(state), stoppingToken);
                SlotState.Read(Slots)?.With(s => s with { Outcome = "" }).Write(Slots);
            }

            return;
        }

        if (running.Slot != state.Active)
        {
            // The launcher could not start the new build (no executable in the slot) and ran another one.
            LogRollback(logger, state.ActiveVersion, RolloutReasons.InstallFailed);
            RollBack(state, RolloutReasons.InstallFailed);
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (state.TrialDeadline is null)
        {
            state = state with { TrialDeadline = now + Math.Max(1, state.HealthWindowSeconds) };
            state.Write(Slots);
        }

        reports.Publish(Progress(state, "switched", "", $"started from slot {state.Active} on trial (start {state.TrialStarts}); commits when the hub link is up and data flows"));
        var durableAtStart = outbox.LastDurableSequence;
        var pointsAtStart = counters.PointsProduced;
        var expectsData = config.Site.Devices.Count > 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var link = sync.Current;
            var flowing = !expectsData || (counters.PointsProduced > pointsAtStart && outbox.LastAcknowledgedSequence > durableAtStart);
            if (link.Connected && flowing)
            {
                state = state with { Trial = false, TrialStarts = 0, TrialDeadline = null, Outcome = "succeeded", Reason = "" };
                state.Write(Slots);
                LogCommitted(logger, state.ActiveVersion, state.Active);
                await ReportAsync(state, "succeeded", "", OutcomeDetail(state), stoppingToken);
                state.With(s => s with { Outcome = "" }).Write(Slots);
                return;
            }

            if (time.GetUtcNow().ToUnixTimeSeconds() >= state.TrialDeadline)
            {
                LogRollback(logger, state.ActiveVersion, RolloutReasons.HealthWindowExpired);
                RollBack(state, RolloutReasons.HealthWindowExpired);
                return;
            }

            await Task.Delay(Poll, time, stoppingToken);
        }
    }

    private void RollBack(SlotState state, string reason)
    {
        var back = state with
        {
            Active = state.Previous.Length > 0 ? state.Previous : SlotState.Packaged,
            ActiveVersion = state.PreviousVersion,
            Previous = state.Active,
            PreviousVersion = state.ActiveVersion,
            Trial = false,
            TrialStarts = 0,
            TrialDeadline = null,
            Outcome = "rolled_back",
            Reason = reason,
        };
        back.Write(Slots);
        Environment.ExitCode = RolloutService.RestartExitCode;
        lifetime.StopApplication();
    }

    /// <summary>Publishes the result and waits until a session wrote it to the hub.</summary>
    private async Task ReportAsync(SlotState state, string outcome, string reason, string detail, CancellationToken cancellationToken)
    {
        var progress = Progress(state, outcome, reason, detail);
        reports.Publish(progress);
        while (reports.Pending().Any(p => ReferenceEquals(p, progress)))
        {
            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    private static string OutcomeDetail(SlotState state) => state.Outcome switch
    {
        "rolled_back" => $"{state.PreviousVersion} was rolled back ({state.Reason}); {state.ActiveVersion} runs",
        _ => $"{state.ActiveVersion} committed in slot {state.Active}",
    };

    private RolloutProgress Progress(SlotState state, string outcome, string reason, string detail) => new()
    {
        CampaignId = state.Campaign,
        Artifact = state.Artifact,
        State = outcome,
        Percent = 100,
        Reason = reason,
        Detail = detail,
        RunningVersion = running.Version,
    };

    [LoggerMessage(EventId = 7711, Level = LogLevel.Information, Message = "Agent {Version} in slot {Slot} passed its health gate: committed")]
    private static partial void LogCommitted(ILogger logger, string version, string slot);

    [LoggerMessage(EventId = 7712, Level = LogLevel.Warning, Message = "Agent {Version} on trial is rolled back ({Reason}); stopping so that systemd starts the previous build")]
    private static partial void LogRollback(ILogger logger, string version, string reason);
}
