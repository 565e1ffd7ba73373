using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// A site's host has no lifetime of its own: the agent's host owns the signals (SIGTERM, Ctrl+C) and
/// the supervisor starts and stops the site. Without this the site would install a second console
/// lifetime that stops it behind the supervisor's back.
/// </summary>
internal sealed class SiteHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
