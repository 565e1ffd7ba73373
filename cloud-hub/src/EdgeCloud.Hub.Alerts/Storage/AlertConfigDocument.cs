namespace EdgeCloud.Hub.Alerts.Storage;

/// <summary>A stored alert configuration document.</summary>
/// <param name="Tenant">Its tenant.</param>
/// <param name="Id">Its id inside tenant and kind.</param>
/// <param name="Json">Its body.</param>
public sealed record AlertConfigDocument(string Tenant, string Id, string Json);
