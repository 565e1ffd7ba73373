using EdgeCloud.Edge.Agent.Alarms;
using EdgeCloud.Edge.Sync.Directives;

namespace EdgeCloud.Edge.Agent.Hosting.Commands;

/// <summary><c>alarm.ack</c> with arguments <c>alarmId</c>, <c>user</c> and optional <c>comment</c> (see <see cref="AlarmOperations"/>).</summary>
internal sealed class AlarmAckCommandHandler(AlarmOperations alarms) : IHubCommandHandler
{
    public string Kind => "alarm.ack";

    public Task<HubCommandOutcome> ExecuteAsync(IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var result = alarms.Acknowledge(arguments);
        return Task.FromResult(new HubCommandOutcome(result.Succeeded, result.Message));
    }
}

/// <summary><c>alarm.shelve</c> with arguments <c>alarmId</c>, <c>user</c>, <c>expiry</c> and optional <c>comment</c> (see <see cref="AlarmOperations"/>).</summary>
internal sealed class AlarmShelveCommandHandler(AlarmOperations alarms) : IHubCommandHandler
{
    public string Kind => "alarm.shelve";

    public Task<HubCommandOutcome> ExecuteAsync(IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var result = alarms.Shelve(arguments);
        return Task.FromResult(new HubCommandOutcome(result.Succeeded, result.Message));
    }
}
