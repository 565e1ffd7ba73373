using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Fleet;

/// <summary>Settings of fleet identity and access, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class FleetOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Fleet";

    /// <summary>The tenant that exists on every hub; its admins may create other tenants.</summary>
    public const string RootTenant = "default";

    /// <summary>Security mode. Default <see cref="FleetSecurityMode.Mtls"/>.</summary>
    public FleetSecurityMode Mode { get; set; } = FleetSecurityMode.Mtls;

    /// <summary>
    /// Folder of the CA key, the JWT signing key and <c>fleet.db</c>. Default: <c>fleet</c> inside
    /// <c>Storage:DataDirectory</c>. Created with mode 0700 when missing.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Host names the sync endpoint's server certificate names besides localhost, 127.0.0.1 and ::1.</summary>
    public IList<string> ServerNames { get; } = [];

    /// <summary>Lifetime of an agent certificate. Default 30 days; agents renew after two thirds of it.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "3650.00:00:00")]
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Longest lifetime an admin may give an enrollment token. Default 24 h.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan MaxEnrollmentTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Lifetime of a JWT the hub issues for an API key. Default 1 h.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan JwtLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// API key of the bootstrap admin (tenant <c>default</c>, user <c>admin</c>) on a fresh hub. When unset,
    /// a random key is made and logged once (event 7501) on the first start; only its hash is stored.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>API requests one client (user, or remote address before authentication) may make per minute. Default 600.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;
}
