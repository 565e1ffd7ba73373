using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>The site config of the local agent.json, before the hub's replaced it: what a revert of the hub's first config goes back to.</summary>
/// <param name="Site">The local site config.</param>
internal sealed record LocalSiteConfig(SiteConfig Site);
