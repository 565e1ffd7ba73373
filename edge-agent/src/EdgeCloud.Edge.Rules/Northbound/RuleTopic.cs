using System.Text;

namespace EdgeCloud.Edge.Rules.Northbound;

/// <summary>
/// Formats the topic templates of alarm routes and <c>mqtt</c> rule actions: <c>{agent}</c>,
/// <c>{rule}</c>, <c>{device}</c> and <c>{tag}</c> (the alarm tag split at its '/'; an alarm tag
/// without a device gives an empty <c>{device}</c>). The config loader has refused other fields and
/// wildcards, and names cannot hold '/', '+' or '#', so the result is one valid topic name.
/// </summary>
internal static class RuleTopic
{
    public static string Format(string template, string agent, string rule, string alarmTag)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(alarmTag);
        var slash = alarmTag.IndexOf('/', StringComparison.Ordinal);
        var device = slash < 0 ? "" : alarmTag[..slash];
        var tag = slash < 0 ? alarmTag : alarmTag[(slash + 1)..];
        return new StringBuilder(template)
            .Replace("{agent}", agent)
            .Replace("{rule}", rule)
            .Replace("{device}", device)
            .Replace("{tag}", tag)
            .ToString();
    }
}
