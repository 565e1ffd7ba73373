namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>One version of the desired site config of an agent or a group; versions of a target only grow.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="TargetKind"><c>agent</c> or <c>group</c>.</param>
/// <param name="Target">Agent id or group name.</param>
/// <param name="Version">1, 2, ... per target.</param>
/// <param name="Json">The site config as validated (JSON text).</param>
/// <param name="CreatedBy">User id that pushed it.</param>
/// <param name="CreatedAt">When it was pushed.</param>
public sealed record SiteConfigRecord(string Tenant, string TargetKind, string Target, int Version, string Json, string CreatedBy, DateTimeOffset CreatedAt)
{
    /// <summary>The version string agents report: <c>group:berlin:v3</c>.</summary>
    public string VersionTag => $"{TargetKind}:{Target}:v{Version}";
}
