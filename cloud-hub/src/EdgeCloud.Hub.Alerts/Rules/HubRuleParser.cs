using System.Text.Json;
using EdgeCloud.Hub.Storage.Validation;

namespace EdgeCloud.Hub.Alerts.Rules;

/// <summary>
/// Validates a rule body from the API (and re-reads stored ones). Every problem is named by its JSON path;
/// channels named in the escalation must exist in the tenant. Body:
/// <c>{"kind":"agent-offline","agentId"?,"labels"?:[..],"tag"?,"seconds"?,"batches"?,"minSeverity"?,"severity"?,"enabled"?,"escalation"?:[{"afterSeconds":0,"channels":["ops"]}]}</c>.
/// </summary>
internal static class HubRuleParser
{
    /// <summary>Longest offline / silence threshold: one week.</summary>
    public const int MaxSeconds = 7 * 24 * 3600;

    /// <summary>At most this many escalation levels.</summary>
    public const int MaxLevels = 10;

    public static HubRule? Parse(string tenant, string id, JsonElement body, IReadOnlySet<string> channels, List<string> problems)
    {
        var fields = JsonFields.Of(body, "$", problems, "kind", "agentId", "labels", "tag", "seconds", "batches", "minSeverity", "severity", "enabled", "escalation");
        if (fields is null)
        {
            return null;
        }

        var kind = fields.String("kind", required: true);
        if (kind is not null && !HubRuleKinds.All.Contains(kind))
        {
            problems.Add($"$.kind: must be one of {string.Join(", ", HubRuleKinds.All)}, not '{kind}'");
        }

        var agentId = fields.String("agentId", required: false);
        if (agentId is not null && !NameRules.IsValidAgentId(agentId))
        {
            problems.Add("$.agentId: not a valid agent id");
        }

        var labels = fields.Strings("labels");
        var tag = fields.String("tag", required: kind == HubRuleKinds.NoData);
        if (tag is not null && (kind != HubRuleKinds.NoData || !NameRules.IsValidTag(tag)))
        {
            problems.Add(kind != HubRuleKinds.NoData ? "$.tag: only a no-data rule takes a tag" : "$.tag: not a valid tag (device/tag)");
        }

        var seconds = fields.Integer("seconds", 1, MaxSeconds, required: kind is HubRuleKinds.AgentOffline or HubRuleKinds.NoData);
        var batches = fields.Integer("batches", 1, long.MaxValue, required: kind == HubRuleKinds.Backlog);
        var minSeverity = fields.Integer("minSeverity", 0, int.MaxValue, required: false);
        var severity = fields.Integer("severity", 0, int.MaxValue, required: false);
        var enabled = fields.Boolean("enabled");
        var escalation = new List<EscalationLevel>();
        foreach (var (element, path) in fields.Array("escalation", MaxLevels))
        {
            var level = JsonFields.Of(element, path, problems, "afterSeconds", "channels");
            if (level is null)
            {
                continue;
            }

            var after = (int)(level.Integer("afterSeconds", 0, MaxSeconds, required: escalation.Count > 0) ?? 0);
            if (escalation.Count > 0 && after <= escalation[^1].AfterSeconds)
            {
                problems.Add($"{path}.afterSeconds: must be later than the level before ({escalation[^1].AfterSeconds} s)");
            }

            var named = level.Strings("channels");
            for (var i = 0; i < named.Count; i++)
            {
                if (!channels.Contains(named[i]))
                {
                    problems.Add($"{path}.channels[{i}]: no channel '{named[i]}' in this tenant");
                }
            }

            escalation.Add(new EscalationLevel(after, named));
        }

        return problems.Count > 0 || kind is null
            ? null
            : new HubRule(id, tenant, kind, agentId, labels, tag, (int)(seconds ?? 0), batches ?? 0, (int)(minSeverity ?? 0), (int)(severity ?? 500), enabled ?? true, escalation);
    }
}
