namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>A webhook target the address policy refuses: not retried, since it would be refused again.</summary>
internal sealed class WebhookRefusedException(string message) : Exception(message);
