namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>How many days each tier is kept for one agent; 0 keeps a tier forever.</summary>
/// <param name="RawDays">Days raw points are kept.</param>
/// <param name="MinuteDays">Days 1-minute rollups are kept.</param>
/// <param name="HourDays">Days 1-hour rollups are kept.</param>
public sealed record RetentionTiers(int RawDays, int MinuteDays, int HourDays)
{
    /// <summary>The configured defaults (<see cref="RetentionOptions"/>), before any policy.</summary>
    public static RetentionTiers DefaultsOf(RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.RawDays, options.MinuteDays, options.HourDays);
    }

    /// <summary>The days of <paramref name="tier"/>.</summary>
    public int DaysOf(RetentionTier tier) => tier switch
    {
        RetentionTier.Raw => RawDays,
        RetentionTier.OneMinute => MinuteDays,
        RetentionTier.OneHour => HourDays,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "no such retention tier"),
    };
}
