using EdgeCloud.Edge.Agent.Hosting.Site;
using EdgeCloud.Edge.Models.Loading;
using EdgeCloud.Edge.Models.Runtime;
using EdgeCloud.Edge.Updates.Install;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Agent.Hosting.Rollouts;

/// <summary>
/// A model rollout's verdict from the watched models folder: loaded when the registry runs a session made from
/// exactly the files now in the folder (same fingerprint), refused when the watcher holds errors for the name.
/// The models component lives in the site that is in force (a live config change swaps it), so each look asks
/// the supervisor for the current site's watcher and registry.
/// </summary>
internal sealed class ModelFolderVerdicts(SiteSupervisor sites, TimeProvider time) : IModelLoadVerdicts
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<(bool Loaded, string? Errors)> WaitAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout)
        {
            var services = sites.Current?.Services;
            var watcher = services?.GetService<ModelFolderWatcher>();
            var registry = services?.GetService<ModelRegistry>();
            var options = services?.GetService<Models.ModelsOptions>();
            if (watcher is null || registry is null || options is null)
            {
                // No site running yet (or it has no models component): look again.
                await Task.Delay(Poll, time, cancellationToken);
                continue;
            }

            var fingerprint = ModelFolderWatcher.Fingerprint(options.Directory, name);
            if (fingerprint is not null && registry.Find(name)?.Fingerprint == fingerprint)
            {
                return (true, null);
            }

            // Errors count only once the watcher looked at these files (it settles them first).
            if (watcher.Problems.TryGetValue(name, out var errors) && watcher.RefusedFingerprint(name) == fingerprint)
            {
                return (false, string.Join("; ", errors));
            }

            await Task.Delay(Poll, time, cancellationToken);
        }

        return (false, null);
    }
}
