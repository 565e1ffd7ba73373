using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>
/// How long each tier is kept, bound from <see cref="SectionName"/>. <see cref="RawDays"/>, <see cref="MinuteDays"/>
/// and <see cref="HourDays"/> are the defaults; <see cref="Policies"/> override them per tenant and per label
/// (resolved by the fleet registry through <see cref="IAgentRetentionPolicies"/>). Zero days keeps a tier forever.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Retention";

    /// <summary>Runs the job at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Days raw points are kept (N). Default 30; 0 keeps them forever.</summary>
    [Range(0, 36_500)]
    public int RawDays { get; set; } = 30;

    /// <summary>Days 1-minute rollups are kept (M). Default 180; 0 keeps them forever.</summary>
    [Range(0, 36_500)]
    public int MinuteDays { get; set; } = 180;

    /// <summary>Days 1-hour rollups are kept. Default 0: forever.</summary>
    [Range(0, 36_500)]
    public int HourDays { get; set; }

    /// <summary>Rows deleted per step (one short transaction). Default 5000.</summary>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>Pause between two steps of one pass, so ingest takes the database in between. Default 50 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Overrides per tenant and per label, checked at start (<see cref="RetentionOptionsValidator"/>). Most specific
    /// wins, tier by tier: tenant and label, then label, then tenant, then the defaults above; between equally
    /// specific entries the longer keep wins. Default none.
    /// </summary>
    public IList<RetentionPolicyOptions> Policies { get; } = [];

    /// <summary>Time between two passes. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);
}
