using EdgeCloud.Hub.Storage.Retention;

namespace EdgeCloud.Hub.Fleet.Retention;

/// <summary>An agent's resolved tiers and, per tier, which policy (or the defaults) decided it.</summary>
/// <param name="Tiers">The days per tier; 0 keeps a tier forever.</param>
/// <param name="RawSource">What decided <see cref="RetentionTiers.RawDays"/>.</param>
/// <param name="MinuteSource">What decided <see cref="RetentionTiers.MinuteDays"/>.</param>
/// <param name="HourSource">What decided <see cref="RetentionTiers.HourDays"/>.</param>
internal sealed record EffectiveRetention(RetentionTiers Tiers, string RawSource, string MinuteSource, string HourSource)
{
    /// <summary>The source named when no policy matches.</summary>
    public const string DefaultsSource = "defaults (Retention:RawDays/MinuteDays/HourDays)";

    /// <summary>
    /// Resolves tier by tier: among the policies that match and set the tier, the most specific wins
    /// (<see cref="RetentionPolicy.Specificity"/>); between equally specific ones the longer keep wins, 0 (forever)
    /// being the longest. No match leaves the default.
    /// </summary>
    public static EffectiveRetention Resolve(RetentionTiers defaults, IEnumerable<RetentionPolicy> policies, string tenant, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var matching = policies.Where(p => p.Matches(tenant, labels)).ToList();
        var (raw, rawSource) = Pick(matching, p => p.RawDays, defaults.RawDays);
        var (minute, minuteSource) = Pick(matching, p => p.MinuteDays, defaults.MinuteDays);
        var (hour, hourSource) = Pick(matching, p => p.HourDays, defaults.HourDays);
        return new(new RetentionTiers(raw, minute, hour), rawSource, minuteSource, hourSource);
    }

    private static (int Days, string Source) Pick(List<RetentionPolicy> matching, Func<RetentionPolicy, int?> days, int fallback)
    {
        var winner = matching
            .Where(p => days(p) is not null)
            .OrderByDescending(p => p.Specificity)
            .ThenByDescending(p => days(p) == 0 ? int.MaxValue : days(p))
            .FirstOrDefault();
        return winner is null ? (fallback, DefaultsSource) : (days(winner)!.Value, winner.Source);
    }
}
