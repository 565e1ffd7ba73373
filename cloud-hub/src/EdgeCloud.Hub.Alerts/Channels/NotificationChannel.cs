namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>A tenant's notification channel, as validated by <see cref="ChannelParser"/>.</summary>
/// <param name="Id">Its id inside the tenant (the URL segment; rules name it).</param>
/// <param name="Tenant">Its tenant.</param>
/// <param name="Kind"><see cref="ChannelKinds.Webhook"/> or <see cref="ChannelKinds.Email"/>.</param>
/// <param name="Url">Webhook: the http(s) URL to POST to.</param>
/// <param name="Secret">Webhook: the HMAC-SHA256 key of the signature header (never shown by the API).</param>
/// <param name="To">Email: the recipients.</param>
public sealed record NotificationChannel(string Id, string Tenant, string Kind, string? Url, string? Secret, IReadOnlyList<string> To);
