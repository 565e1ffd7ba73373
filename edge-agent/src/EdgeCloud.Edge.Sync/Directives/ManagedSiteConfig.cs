using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Sync.Directives;

/// <summary>
/// Managed mode at start: when the hub sent a site config (stored by <see cref="SiteConfigStore"/>), it wins
/// over the local one, after being validated again; a stored file that no longer validates is ignored with a
/// message on stderr and the local site config runs.
/// </summary>
public static class ManagedSiteConfig
{
    /// <summary>The config to run: <paramref name="config"/> with the hub's site config when one is stored and valid.</summary>
    public static AgentConfig Apply(AgentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var store = new SiteConfigStore(config);
        if (!File.Exists(store.SitePath) || store.Version.Length == 0)
        {
            // No hub config, or one half forgotten by a revert (the version goes first): the local one runs.
            return config;
        }

        var errors = new List<ConfigError>();
        var site = ConfigLoader.TryParseSite(store.SitePath, File.ReadAllText(store.SitePath), errors);
        if (site is null || errors.Count > 0)
        {
            Console.Error.WriteLine($"hub site config {store.Version} at {store.SitePath} is ignored, the local one runs: {string.Join("; ", errors)}");
            return config;
        }

        return config with { Site = site };
    }
}
