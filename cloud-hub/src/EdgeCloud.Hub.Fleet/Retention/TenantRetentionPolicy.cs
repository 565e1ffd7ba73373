namespace EdgeCloud.Hub.Fleet.Retention;

/// <summary>A retention policy a tenant admin set through the API: for the tenant's agents with <paramref name="Label"/>, or all of them.</summary>
/// <param name="Label">The label an agent must carry, or null for every agent of the tenant.</param>
/// <param name="RawDays">Days raw points are kept, or null to inherit.</param>
/// <param name="MinuteDays">Days 1-minute rollups are kept, or null to inherit.</param>
/// <param name="HourDays">Days 1-hour rollups are kept, or null to inherit.</param>
internal sealed record TenantRetentionPolicy(string? Label, int? RawDays, int? MinuteDays, int? HourDays);
