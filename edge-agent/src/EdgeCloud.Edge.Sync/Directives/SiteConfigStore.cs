using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Files;

namespace EdgeCloud.Edge.Sync.Directives;

/// <summary>
/// The site config the hub sent, in <c>&lt;dataDirectory&gt;/site-config/</c>: validated again with the
/// agent's own loader, then <c>site.json</c> and <c>version</c> are each replaced atomically (DurableFile:
/// temp file, flush to disk, rename, directory sync). Nothing here touches the outbox.
/// </summary>
public sealed class SiteConfigStore(AgentConfig config)
{
    /// <summary>The folder.</summary>
    public string Folder { get; } = Path.Combine(config?.DataDirectory ?? throw new ArgumentNullException(nameof(config)), "site-config");

    /// <summary>The stored site config file.</summary>
    public string SitePath => Path.Combine(Folder, "site.json");

    /// <summary>The version of the stored config, or empty when the hub never sent one.</summary>
    public string Version
    {
        get
        {
            var path = Path.Combine(Folder, "version");
            return File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
        }
    }

    /// <summary>Validates and stores; returns null when stored, or every validation error (nothing is written then).</summary>
    public string? TryStore(string version, string json)
    {
        var errors = new List<ConfigError>();
        if (ConfigLoader.TryParseSite($"hub config {version}", json, errors) is null || errors.Count > 0)
        {
            return string.Join("; ", errors.Select(e => e.ToString()));
        }

        Write(version, json);
        return null;
    }

    /// <summary>Replaces the stored config with <paramref name="json"/>, already validated by the caller: the site file first, then its version.</summary>
    public void Write(string version, string json)
    {
        Directory.CreateDirectory(Folder);
        DurableFile.WriteText(SitePath, json);
        DurableFile.WriteText(Path.Combine(Folder, "version"), version);
    }

    /// <summary>Forgets the hub's config: the local site config runs from the next start.</summary>
    public void Clear()
    {
        // The version first: a crash between the two leaves a site file without a version, which runs as the hub's
        // (ManagedSiteConfig) but reports none, so the hub sends its desired config again.
        foreach (var path in new[] { Path.Combine(Folder, "version"), SitePath }.Where(File.Exists))
        {
            File.Delete(path);
        }
    }
}
