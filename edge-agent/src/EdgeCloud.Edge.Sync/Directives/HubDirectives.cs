using System.Threading.Channels;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Sync.Directives;

/// <summary>
/// Commands and desired config from the hub, carried out one at a time on a session's own loop so the
/// receive loop (acknowledgements) never waits for a device write or a doctor run. At most
/// <see cref="Capacity"/> wait; one more is answered at once as refused (the hub can send it again).
/// Each command runs until its deadline at most and always gets a CommandResult; each desired config a
/// ConfigReport; each rollout goes to the update component (<see cref="IRolloutHandler"/>), which reports
/// its progress through <see cref="RolloutReports"/>. Reports the agent makes on its own (<see cref="Post"/>,
/// a revert) are kept on disk until a session wrote them.
/// </summary>
public sealed partial class HubDirectives(
    IEnumerable<IHubCommandHandler> handlers,
    IEnumerable<IRolloutHandler> rollouts,
    RolloutReports reports,
    SiteConfigStore siteConfigs,
    IEnumerable<ISiteConfigApplier> appliers,
    TimeProvider time,
    ILogger<HubDirectives> logger)
{
    /// <summary>Directives waiting at most.</summary>
    public const int Capacity = 16;

    private readonly Dictionary<string, IHubCommandHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
    private readonly ISiteConfigApplier? _applier = appliers.LastOrDefault();
    private readonly ConfigReportFile _owed = new(siteConfigs.Folder);
    private readonly Channel<bool> _posted = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>
    /// Queues a report the agent made on its own: stored first, then written on the current session or,
    /// when the link is down, on the next one (also after a restart).
    /// </summary>
    public void Post(ConfigReport report)
    {
        _owed.Save(report);
        _posted.Writer.TryWrite(true);
    }

    /// <summary>The version of the site config stored from the hub (sent in Hello), empty when none.</summary>
    public string ConfigVersion => siteConfigs.Version;

    /// <summary>Runs the directives of one session until it ends; <paramref name="write"/> sends answers on the session.</summary>
    internal Task RunAsync(ChannelReader<HubMessage> directives, Func<AgentMessage, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        Task.WhenAll(RunDirectivesAsync(directives, write, cancellationToken), SendOwedReportsAsync(write, cancellationToken));

    private async Task SendOwedReportsAsync(Func<AgentMessage, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        do
        {
            if (_owed.Load() is { } report)
            {
                await write(new AgentMessage { ConfigReport = report }, cancellationToken);
                _owed.Remove(report);
                LogConfig(logger, report.ConfigVersion, $"{report.State} reported: {report.Detail}");
            }
        }
        while (await _posted.Reader.ReadAsync(cancellationToken));
    }

    private async Task RunDirectivesAsync(ChannelReader<HubMessage> directives, Func<AgentMessage, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        await foreach (var directive in directives.ReadAllAsync(cancellationToken))
        {
            if (directive.BodyCase == HubMessage.BodyOneofCase.DesiredConfig)
            {
                var report = _applier is null ? Store(directive.DesiredConfig) : await _applier.ApplyAsync(directive.DesiredConfig.ConfigVersion, directive.DesiredConfig.SiteConfigJson.ToStringUtf8(), cancellationToken);
                LogConfig(logger, report.ConfigVersion, $"{report.State}: {report.Detail}");
                await write(new AgentMessage { ConfigReport = report }, cancellationToken);
                continue;
            }

            if (directive.BodyCase == HubMessage.BodyOneofCase.Rollout)
            {
                await AcceptAsync(directive.Rollout, cancellationToken);
                continue;
            }

            var command = directive.Command;
            var (outcome, result) = await RunAsync(command, cancellationToken);
            await write(new AgentMessage { CommandResult = result }, cancellationToken);
            LogCommand(logger, command.Kind, command.CommandId, result.Success, result.Detail);
            outcome?.AfterReported?.Invoke();
        }
    }

    /// <summary>The answer to a command that could not even wait (queue full).</summary>
    internal static AgentMessage Busy(Command command) =>
        new() { CommandResult = new CommandResult { CommandId = command.CommandId, Success = false, Detail = $"the agent has {Capacity} directives waiting; send it again later" } };

    private async Task<(HubCommandOutcome? Outcome, CommandResult Result)> RunAsync(Command command, CancellationToken cancellationToken)
    {
        var result = new CommandResult { CommandId = command.CommandId };
        if (!_handlers.TryGetValue(command.Kind, out var handler))
        {
            result.Detail = $"this agent does not know command '{command.Kind}' (it knows: {string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal))})";
            return (null, result);
        }

        var deadline = DateTimeOffset.UnixEpoch.AddTicks((long)(command.DeadlineUnixNano / 100));
        var left = command.DeadlineUnixNano == 0 ? TimeSpan.FromMinutes(5) : deadline - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            result.Detail = $"its deadline {deadline:O} passed before it could run";
            return (null, result);
        }

        using var timeout = new CancellationTokenSource(left, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var outcome = await handler.ExecuteAsync(command.Arguments, linked.Token);
            (result.Success, result.Detail) = (outcome.Success, outcome.Detail);
            return (outcome, result);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result.Detail = $"did not finish before its deadline {deadline:O}";
            return (null, result);
        }
    }

    private async Task AcceptAsync(RolloutDirective rollout, CancellationToken cancellationToken)
    {
        LogRollout(logger, rollout.CampaignId, rollout.Kind, rollout.Name, rollout.Version);
        if (rollouts.FirstOrDefault() is { } handler)
        {
            await handler.AcceptAsync(rollout, cancellationToken);
            return;
        }

        reports.Publish(new RolloutProgress
        {
            CampaignId = rollout.CampaignId,
            Artifact = rollout.Artifact,
            State = "failed",
            Reason = "install_failed",
            Detail = "this agent has no update component",
        });
    }

    private ConfigReport Store(DesiredConfig desired)
    {
        var errors = siteConfigs.TryStore(desired.ConfigVersion, desired.SiteConfigJson.ToStringUtf8());
        return errors is null
            ? new ConfigReport { ConfigVersion = desired.ConfigVersion, Applied = false, State = "stored", Detail = $"validated and stored at {siteConfigs.SitePath}; in force from the next agent start (send a restart command)" }
            : new ConfigReport { ConfigVersion = desired.ConfigVersion, Applied = false, State = "refused", Detail = errors };
    }

    [LoggerMessage(EventId = 7610, Level = LogLevel.Information, Message = "Hub command {Kind} {CommandId}: success={Success}: {Detail}")]
    private static partial void LogCommand(ILogger logger, string kind, string commandId, bool success, string detail);

    [LoggerMessage(EventId = 7612, Level = LogLevel.Information, Message = "Hub rollout {CampaignId}: {Kind} {Name} {Version}")]
    private static partial void LogRollout(ILogger logger, string campaignId, string kind, string name, string version);

    [LoggerMessage(EventId = 7611, Level = LogLevel.Information, Message = "Hub site config {Version}: {Outcome}")]
    private static partial void LogConfig(ILogger logger, string version, string outcome);
}
