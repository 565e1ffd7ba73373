using EdgeCloud.Edge.Agent.Cli.Doctor;
using EdgeCloud.Edge.Agent.Hosting.Site;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Edge.Time;

namespace EdgeCloud.Edge.Agent.Hosting.Commands;

/// <summary><c>diagnostics</c>: the <c>edge-agent doctor</c> checks of the config in force (the live site's), one line each; fails when any check fails.</summary>
internal sealed class DiagnosticsCommandHandler(AgentConfig config, SiteSupervisor sites, IClockStatus clock) : IHubCommandHandler
{
    public string Kind => "diagnostics";

    public async Task<HubCommandOutcome> ExecuteAsync(IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var results = await new AgentDoctor(clock).RunAsync(sites.Current?.Config ?? config, cancellationToken);
        return new HubCommandOutcome(results.All(r => r.Outcome != CheckOutcome.Fail), string.Join("\n", results.Select(r => r.ToString())));
    }
}
