namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// A token bucket per rule: at most <paramref name="Burst"/> activations at once, refilled at
/// <paramref name="PerMinute"/>. An activation that finds the bucket empty runs no action and is counted.
/// </summary>
/// <param name="Burst">Bucket size, 1 or more.</param>
/// <param name="PerMinute">Refill rate, tokens per minute, more than 0.</param>
public sealed record RuleRateLimit(int Burst, double PerMinute)
{
    /// <summary>The limit used when a rule gives none: 5 at once, 6 per minute.</summary>
    public static RuleRateLimit Default { get; } = new(5, 6);
}
