namespace EdgeCloud.Hub.Fleet.Retention;

/// <summary>
/// One retention override, from configuration (<c>Retention:Policies</c>) or set for a tenant through the API.
/// A null tier inherits from the next less specific match.
/// </summary>
/// <param name="Tenant">The tenant it applies to, or null for every tenant.</param>
/// <param name="Label">The label an agent must carry, or null for any agent.</param>
/// <param name="RawDays">Days raw points are kept, or null.</param>
/// <param name="MinuteDays">Days 1-minute rollups are kept, or null.</param>
/// <param name="HourDays">Days 1-hour rollups are kept, or null.</param>
/// <param name="Source">Where it was set, for the effective-policy view (<c>configuration Retention:Policies:0</c>, <c>api tenant acme #1</c>).</param>
internal sealed record RetentionPolicy(string? Tenant, string? Label, int? RawDays, int? MinuteDays, int? HourDays, string Source)
{
    /// <summary>
    /// How specific the policy is: 3 tenant and label, 2 label, 1 tenant. The precedence rule of
    /// docs/hub-storage.md, tier by tier: the most specific match wins, then the longest keep.
    /// </summary>
    public int Specificity => (Tenant is null ? 0 : 1) + (Label is null ? 0 : 2);

    /// <summary>True when the policy covers an agent of <paramref name="tenant"/> with <paramref name="labels"/>.</summary>
    public bool Matches(string tenant, IReadOnlyList<string> labels) =>
        (Tenant is null || string.Equals(Tenant, tenant, StringComparison.Ordinal))
        && (Label is null || labels.Contains(Label, StringComparer.Ordinal));
}
