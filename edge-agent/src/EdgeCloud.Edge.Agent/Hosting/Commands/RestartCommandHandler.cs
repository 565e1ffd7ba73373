using EdgeCloud.Edge.Sync.Directives;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Hosting.Commands;

/// <summary>
/// <c>restart</c>: once the result reached the hub, the agent stops cleanly (sources stop, the batcher makes
/// their last points durable, the outbox closes) with exit code 75 (EX_TEMPFAIL), which the unit's
/// <c>Restart=</c> policy answers by starting it again.
/// </summary>
internal sealed class RestartCommandHandler(IHostApplicationLifetime lifetime) : IHubCommandHandler
{
    public const int RestartExitCode = 75;

    public string Kind => "restart";

    public Task<HubCommandOutcome> ExecuteAsync(IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken) =>
        Task.FromResult(new HubCommandOutcome(true, "stopping cleanly; the service manager starts the agent again", () =>
        {
            Environment.ExitCode = RestartExitCode;
            lifetime.StopApplication();
        }));
}
