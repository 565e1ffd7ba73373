namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>The kinds of notification channels, as the API spells them.</summary>
public static class ChannelKinds
{
    /// <summary>An HTTP POST of the incident as JSON, HMAC-signed.</summary>
    public const string Webhook = "webhook";

    /// <summary>A mail through the hub's SMTP server.</summary>
    public const string Email = "email";
}
