using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Edge.Sync.Directives;

/// <summary>
/// Puts a site config from the hub into force while the agent runs (the agent's site supervisor). When
/// none is registered, <see cref="HubDirectives"/> only validates and stores the config for the next start.
/// Never throws for a bad config: the report says "refused" with every error.
/// </summary>
public interface ISiteConfigApplier
{
    /// <summary>Validates, builds and swaps in the site of <paramref name="siteConfigJson"/>; the report says what happened.</summary>
    Task<ConfigReport> ApplyAsync(string version, string siteConfigJson, CancellationToken cancellationToken);
}
