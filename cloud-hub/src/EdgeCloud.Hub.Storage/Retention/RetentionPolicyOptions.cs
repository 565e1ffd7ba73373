namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>
/// One entry of <c>Retention:Policies</c>: tiers that override the defaults for the agents of a tenant, the
/// agents carrying a label, or both. Most specific wins, tier by tier: tenant and label, then label, then
/// tenant, then the defaults; between equally specific entries the longer keep wins (0 = forever is the
/// longest), so adding a policy never deletes what another matching policy keeps.
/// </summary>
public sealed class RetentionPolicyOptions
{
    /// <summary>The tenant whose agents this applies to, or null for every tenant.</summary>
    public string? Tenant { get; set; }

    /// <summary>A label the agent must carry, exactly as enrolled (<c>site=berlin</c>, <c>line-3</c>), or null for any.</summary>
    public string? Label { get; set; }

    /// <summary>Days raw points are kept, or null to inherit.</summary>
    public int? RawDays { get; set; }

    /// <summary>Days 1-minute rollups are kept, or null to inherit.</summary>
    public int? MinuteDays { get; set; }

    /// <summary>Days 1-hour rollups are kept, or null to inherit.</summary>
    public int? HourDays { get; set; }
}
