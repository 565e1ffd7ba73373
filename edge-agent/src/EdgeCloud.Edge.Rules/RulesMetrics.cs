namespace EdgeCloud.Edge.Rules;

/// <summary>Names shared by the rules component's instruments.</summary>
internal static class RulesMetrics
{
    /// <summary>The meter of rules, alarms and actions.</summary>
    public const string MeterName = "EdgeCloud.Edge.Rules";
}
