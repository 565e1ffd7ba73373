using System.Security.Claims;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Retention;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Storage.Retention;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>
/// Retention per tenant and label (docs/hub-storage.md). <c>GET/PUT /fleet/retention/policies</c>: the caller's
/// tenant's policies (PUT replaces them all, admin, audited). <c>GET /fleet/agents/{agentId}/retention</c>: the
/// agent's effective tiers and what decided each. Precedence, tier by tier: tenant and label, then label, then
/// tenant, then the defaults; between equally specific policies the longer keep wins.
/// </summary>
internal static class RetentionEndpoints
{
    /// <summary>The precedence rule as the API states it.</summary>
    public const string Precedence =
        "tier by tier, the most specific matching policy wins: tenant and label, then label, then tenant, then the defaults; " +
        "between equally specific policies the longer keep wins (0 = forever)";

    private const int MaxPolicies = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/fleet/retention/policies", ListAsync).WithName("GetRetentionPolicies").RequireAuthorization(FleetRoles.ViewerPolicy);
        api.MapPut("/fleet/retention/policies", SetAsync).WithName("SetRetentionPolicies").RequireAuthorization(FleetRoles.AdminPolicy);
        api.MapGet("/fleet/agents/{agentId}/retention", EffectiveAsync).WithName("GetAgentRetention").RequireAuthorization(FleetRoles.ViewerPolicy);
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal caller, [FromServices] FleetRetentionPolicies policies, CancellationToken cancellationToken) =>
        TypedResults.Ok(new { tenant = FleetClaims.TenantOf(caller), precedence = Precedence, policies = await policies.TenantPoliciesAsync(FleetClaims.TenantOf(caller)!, cancellationToken) });

    private static async Task<IResult> SetAsync(
        JsonElement body, ClaimsPrincipal caller, [FromServices] IFleetStore store, [FromServices] AuditLog audit, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var tenant = FleetClaims.TenantOf(caller)!;
        List<TenantRetentionPolicy> parsed;
        try
        {
            parsed = Parse(body);
        }
        catch (FleetRequestException refused)
        {
            await audit.RecordAsync(caller, "retention.policies", tenant, AuditLog.Refused, refused.Message, cancellationToken);
            throw;
        }

        var json = JsonSerializer.Serialize(parsed, FleetRetentionPolicies.Json);
        await store.SetRetentionPoliciesAsync(tenant, json, FleetClaims.ActorOf(caller), time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(caller, "retention.policies", tenant, AuditLog.Ok, json, cancellationToken);
        return TypedResults.Ok(new { tenant, precedence = Precedence, policies = parsed });
    }

    private static async Task<IResult> EffectiveAsync(
        string agentId, ClaimsPrincipal caller, [FromServices] IFleetStore store, [FromServices] FleetRetentionPolicies policies, CancellationToken cancellationToken)
    {
        var agent = await store.GetAgentAsync(agentId, cancellationToken);
        if (agent is null || !string.Equals(agent.Tenant, FleetClaims.TenantOf(caller), StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown agent", detail: $"agent '{agentId}' is not enrolled in your tenant");
        }

        var effective = await policies.EffectiveAsync(agent, cancellationToken);
        return TypedResults.Ok(new
        {
            agentId,
            tenant = agent.Tenant,
            labels = agent.Labels,
            rawDays = effective.Tiers.RawDays,
            minuteDays = effective.Tiers.MinuteDays,
            hourDays = effective.Tiers.HourDays,
            sources = new { raw = effective.RawSource, minute = effective.MinuteSource, hour = effective.HourSource },
            precedence = Precedence,
        });
    }

    /// <summary>Reads <c>{"policies": [{label?, rawDays?, minuteDays?, hourDays?}]}</c>; every problem names its entry, and nothing is applied if any.</summary>
    private static List<TenantRetentionPolicy> Parse(JsonElement body)
    {
        StrictBody.Parse(body, "policies");
        if (!body.TryGetProperty("policies", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("field 'policies' is required and must be an array (empty to clear)");
        }

        if (array.GetArrayLength() > MaxPolicies)
        {
            throw Invalid($"'policies' has {array.GetArrayLength()} entries; at most {MaxPolicies}");
        }

        var problems = new List<string>();
        var parsed = new List<TenantRetentionPolicy>();
        var labels = new HashSet<string?>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var where = $"policies[{index++}]";
            try
            {
                var entry = StrictBody.Parse(item, "label", "rawDays", "minuteDays", "hourDays");
                var policy = new TenantRetentionPolicy(entry.String("label", false), Days(entry, "rawDays"), Days(entry, "minuteDays"), Days(entry, "hourDays"));
                problems.AddRange(RetentionOptionsValidator.ProblemsOf(policy.Label, policy.RawDays, policy.MinuteDays, policy.HourDays).Select(p => $"{where}: {p}"));
                if (!labels.Add(policy.Label))
                {
                    problems.Add($"{where}: a second policy for {(policy.Label is null ? "the whole tenant" : $"label '{policy.Label}'")}; merge the two");
                }

                parsed.Add(policy);
            }
            catch (FleetRequestException refused)
            {
                problems.Add($"{where}: {refused.Message}");
            }
        }

        return problems.Count == 0 ? parsed : throw Invalid(string.Join("; ", problems));
    }

    private static int? Days(StrictBody entry, string name) => entry.Integer(name) switch
    {
        null => null,
        var days and (< int.MinValue or > int.MaxValue) => throw Invalid($"field '{name}' {days} is outside 0..{RetentionOptionsValidator.MaxDays}"),
        var days => (int)days,
    };

    private static FleetRequestException Invalid(string detail) => new(StatusCodes.Status400BadRequest, "Invalid retention policies", detail);
}
