using System.Text.Json;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>Reads a campaign body strictly: unknown fields, a target with both or neither of labels and group, stages that do not climb to 100, and out-of-range numbers are refused naming the field.</summary>
internal static class CampaignRequestParser
{
    private static readonly string[] Fields =
        ["name", "artifactId", "target", "stages", "soakSeconds", "failureThreshold", "healthWindowSeconds", "allowDowngrade", "pollErrorMargin", "outboxMargin", "reportTimeoutSeconds"];

    public static CampaignRequest Parse(JsonElement body)
    {
        var request = StrictBody.Parse(body, Fields);
        var name = request.String("name", true)!;
        if (name.Length is 0 or > 200)
        {
            throw Invalid("field 'name' must have 1 to 200 characters");
        }

        var (labels, group) = Target(body);
        return new CampaignRequest(
            name,
            request.String("artifactId", true)!,
            labels,
            group,
            Stages(body),
            (int)Range(request.Integer("soakSeconds") ?? 600, 0, 7 * 86400, "soakSeconds"),
            Fraction(body, "failureThreshold", 0.2),
            (int)Range(request.Integer("healthWindowSeconds") ?? 300, 10, 86400, "healthWindowSeconds"),
            request.Boolean("allowDowngrade") ?? false,
            Fraction(body, "pollErrorMargin", 0.05),
            Range(request.Integer("outboxMargin") ?? 100, 0, 1_000_000_000, "outboxMargin"),
            (int)Range(request.Integer("reportTimeoutSeconds") ?? CampaignRecord.DefaultReportTimeoutSeconds, 1, 7 * 86400, "reportTimeoutSeconds"));
    }

    private static (IReadOnlyList<string> Labels, string? Group) Target(JsonElement body)
    {
        if (!body.TryGetProperty("target", out var target))
        {
            throw Invalid("field 'target' is required: {\"labels\": [..]} or {\"group\": \"..\"}");
        }

        var parsed = StrictBody.Parse(target, "labels", "group");
        var labels = parsed.Strings("labels");
        var group = parsed.String("group", false);
        return (labels.Count > 0, group is { Length: > 0 }) switch
        {
            (true, false) => (labels, null),
            (false, true) => ([], group),
            _ => throw Invalid("field 'target' must name either 'labels' (a non-empty array) or 'group', not both or neither"),
        };
    }

    private static List<int> Stages(JsonElement body)
    {
        if (!body.TryGetProperty("stages", out var stages) || stages.ValueKind == JsonValueKind.Null)
        {
            return [1, 10, 50, 100];
        }

        if (stages.ValueKind != JsonValueKind.Array || stages.GetArrayLength() is 0 or > 20
            || stages.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out var p) || p is < 1 or > 100))
        {
            throw Invalid("field 'stages' must be an array of 1 to 20 integer percentages from 1 to 100");
        }

        var list = stages.EnumerateArray().Select(s => s.GetInt32()).ToList();
        return list.Zip(list.Skip(1)).Any(pair => pair.Second <= pair.First) || list[^1] != 100
            ? throw Invalid($"field 'stages' must be cumulative: strictly increasing and ending at 100, not [{string.Join(", ", list)}]")
            : list;
    }

    private static double Fraction(JsonElement body, string name, double fallback)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number is >= 0 and <= 1
            ? number
            : throw Invalid($"field '{name}' must be a number from 0 to 1");
    }

    private static long Range(long value, long min, long max, string name) =>
        value >= min && value <= max ? value : throw Invalid($"field '{name}' must be from {min} to {max}, not {value}");

    private static FleetRequestException Invalid(string detail) => new(StatusCodes.Status400BadRequest, "Invalid campaign", detail);
}
