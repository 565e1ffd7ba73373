using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EdgeCloud.Hub.Alerts;

/// <summary>Settings of incidents, hub rules and notifications, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class AlertsOptions : IValidatableObject
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Alerts";

    /// <summary>How often hub rules (offline, backlog, no data) are evaluated. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RuleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often escalation and snooze expiry are checked, and the longest a stored alarm event waits to become an incident change. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.20.0.0/16</c>, <c>127.0.0.1/32</c>) a webhook may reach although they are
    /// loopback, private, link-local or otherwise refused by default: for on-premises receivers. Default none.
    /// </summary>
    public IList<string> WebhookAllowedNetworks { get; } = [];

    /// <summary>Redirects a webhook delivery follows (each target checked again). Default 3; 0 follows none.</summary>
    [Range(0, 10)]
    public int WebhookMaxRedirects { get; set; } = 3;

    /// <summary>Time limit of one webhook or mail attempt. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per notification before it is given up (counted). Default 4.</summary>
    [Range(1, 20)]
    public int DeliveryAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; doubled for each further one, with jitter. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Notifications waiting per channel; when full the oldest is dropped (counted). Default 256.</summary>
    [Range(1, 100_000)]
    public int ChannelQueueCapacity { get; set; } = 256;

    /// <summary>SMTP server host of email channels; email channels fail (counted, logged) while unset.</summary>
    public string? SmtpHost { get; set; }

    /// <summary>SMTP port. Default 25 (STARTTLS is used whenever the server offers it).</summary>
    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 25;

    /// <summary>SMTP user name, or none for an unauthenticated relay.</summary>
    public string? SmtpUser { get; set; }

    /// <summary>SMTP password of <see cref="SmtpUser"/>.</summary>
    public string? SmtpPassword { get; set; }

    /// <summary>The sender address of incident mail. Default <c>edgecloud-hub@localhost</c>.</summary>
    [Required]
    public string SmtpFrom { get; set; } = "edgecloud-hub@localhost";

    /// <summary>The allow-list, parsed.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks() => [.. WebhookAllowedNetworks.Select(n => IPNetwork.Parse(n.Trim()))];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < WebhookAllowedNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(WebhookAllowedNetworks[i].Trim(), out _))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(WebhookAllowedNetworks)}:{i}: '{WebhookAllowedNetworks[i]}' is not a CIDR network such as 10.20.0.0/16",
                    [nameof(WebhookAllowedNetworks)]);
            }
        }
    }
}
