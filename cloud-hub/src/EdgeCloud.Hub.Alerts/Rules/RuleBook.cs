using System.Text.Json;
using EdgeCloud.Hub.Alerts.Channels;
using EdgeCloud.Hub.Alerts.Incidents;
using EdgeCloud.Hub.Alerts.Storage;

namespace EdgeCloud.Hub.Alerts.Rules;

/// <summary>Reads rules and channels back from the config store (they were validated when written).</summary>
internal sealed class RuleBook(IAlertConfigStore store)
{
    public const string RuleKind = "rule";
    public const string ChannelKind = "channel";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every tenant's rules.</summary>
    public async Task<IReadOnlyList<HubRule>> AllRulesAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAllConfigsAsync(RuleKind, cancellationToken)).Select(d => JsonSerializer.Deserialize<HubRule>(d.Json, Json)!)];

    /// <summary>The tenant's rules.</summary>
    public async Task<IReadOnlyList<HubRule>> RulesAsync(string tenant, CancellationToken cancellationToken) =>
        [.. (await store.ListConfigsAsync(tenant, RuleKind, cancellationToken)).Select(d => JsonSerializer.Deserialize<HubRule>(d.Json, Json)!)];

    /// <summary>The tenant's channel ids.</summary>
    public async Task<IReadOnlySet<string>> ChannelIdsAsync(string tenant, CancellationToken cancellationToken) =>
        (await store.ListConfigsAsync(tenant, ChannelKind, cancellationToken)).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>One channel, or null when it was deleted.</summary>
    public async Task<NotificationChannel?> ChannelAsync(string tenant, string id, CancellationToken cancellationToken) =>
        await store.GetConfigAsync(tenant, ChannelKind, id, cancellationToken) is { } json ? JsonSerializer.Deserialize<NotificationChannel>(json, Json) : null;

    /// <summary>
    /// The rule that governs <paramref name="incident"/>'s escalation among <paramref name="rules"/> (its tenant's):
    /// a hub-rule incident's own rule; for an agent alarm the first enabled agent-alarm rule that matches the agent and severity.
    /// </summary>
    public static HubRule? Governing(IncidentRecord incident, IReadOnlyList<HubRule> rules, IReadOnlyList<string> agentLabels) =>
        incident.Source == IncidentSources.HubRule
            ? rules.FirstOrDefault(r => r.Enabled && r.Id == incident.Rule)
            : rules.FirstOrDefault(r => r.Enabled && r.Kind == HubRuleKinds.AgentAlarm && r.MinSeverity <= incident.Severity && r.Matches(incident.AgentId, agentLabels));
}
