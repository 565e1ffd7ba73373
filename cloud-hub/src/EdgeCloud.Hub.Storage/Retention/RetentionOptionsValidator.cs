using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Storage.Retention;

/// <summary>Checks <c>Retention:Policies</c> at start; each failure names the entry (<c>Retention:Policies:2</c>) and what is wrong with it.</summary>
internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    /// <summary>The longest keep a tier takes, in days (100 years).</summary>
    public const int MaxDays = 36_500;

    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new Dictionary<(string?, string?), int>();
        for (var i = 0; i < options.Policies.Count; i++)
        {
            var policy = options.Policies[i];
            var where = $"{RetentionOptions.SectionName}:Policies:{i}";
            if (policy is null)
            {
                failures.Add($"{where}: the entry is empty");
                continue;
            }

            if (string.IsNullOrWhiteSpace(policy.Tenant) && string.IsNullOrWhiteSpace(policy.Label))
            {
                failures.Add($"{where}: set Tenant, Label or both (a policy for everyone is the defaults RawDays/MinuteDays/HourDays)");
            }

            failures.AddRange(ProblemsOf(policy.Label, policy.RawDays, policy.MinuteDays, policy.HourDays).Select(p => $"{where}: {p}"));
            var key = (Blank(policy.Tenant), Blank(policy.Label));
            if (seen.TryGetValue(key, out var first))
            {
                failures.Add($"{where}: same Tenant and Label as {RetentionOptions.SectionName}:Policies:{first}; merge the two");
            }
            else
            {
                seen[key] = i;
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with one policy's label and days (empty when nothing): shared by configuration and the admin API.</summary>
    public static IEnumerable<string> ProblemsOf(string? label, int? rawDays, int? minuteDays, int? hourDays)
    {
        if (label is not null && (label.Length == 0 || label.Length > 200 || label.Any(char.IsWhiteSpace)))
        {
            yield return $"label '{label}' must be 1 to 200 characters without spaces, as the agent's label is written (e.g. site=berlin)";
        }

        if (rawDays is null && minuteDays is null && hourDays is null)
        {
            yield return "set at least one of rawDays, minuteDays, hourDays";
        }

        foreach (var (field, days) in new[] { ("rawDays", rawDays), ("minuteDays", minuteDays), ("hourDays", hourDays) })
        {
            if (days is < 0 or > MaxDays)
            {
                yield return $"{field} {days} is outside 0..{MaxDays} (0 keeps the tier forever)";
            }
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
