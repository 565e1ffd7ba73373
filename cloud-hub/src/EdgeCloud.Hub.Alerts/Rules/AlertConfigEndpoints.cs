using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCloud.Hub.Alerts.Channels;
using EdgeCloud.Hub.Alerts.Storage;
using EdgeCloud.Hub.Fleet;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Alerts.Rules;

/// <summary>
/// Per-tenant hub rules (<c>/api/v1/alerts/rules/{ruleId}</c>, operator to change) and notification channels
/// (<c>/api/v1/alerts/channels/{channelId}</c>, admin to change: they hold secrets and reach out of the hub).
/// PUT creates or replaces; a body with problems is refused whole with 400 naming each by its JSON path.
/// Every change is audited; a channel's secret is never shown again.
/// </summary>
internal static partial class AlertConfigEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/alerts/rules", ListRulesAsync).WithName("ListHubRules").RequireAuthorization(FleetRoles.ViewerPolicy);
        api.MapGet("/alerts/rules/{ruleId}", GetRuleAsync).WithName("GetHubRule").RequireAuthorization(FleetRoles.ViewerPolicy);
        api.MapPut("/alerts/rules/{ruleId}", PutRuleAsync).WithName("PutHubRule").RequireAuthorization(FleetRoles.OperatorPolicy);
        api.MapDelete("/alerts/rules/{ruleId}", DeleteRuleAsync).WithName("DeleteHubRule").RequireAuthorization(FleetRoles.OperatorPolicy);
        api.MapGet("/alerts/channels", ListChannelsAsync).WithName("ListChannels").RequireAuthorization(FleetRoles.ViewerPolicy);
        api.MapGet("/alerts/channels/{channelId}", GetChannelAsync).WithName("GetChannel").RequireAuthorization(FleetRoles.ViewerPolicy);
        api.MapPut("/alerts/channels/{channelId}", PutChannelAsync).WithName("PutChannel").RequireAuthorization(FleetRoles.AdminPolicy);
        api.MapDelete("/alerts/channels/{channelId}", DeleteChannelAsync).WithName("DeleteChannel").RequireAuthorization(FleetRoles.AdminPolicy);
    }

    private static async Task<IResult> ListRulesAsync(ClaimsPrincipal caller, [FromServices] RuleBook book, CancellationToken cancellationToken) =>
        TypedResults.Ok(await book.RulesAsync(TenantOf(caller), cancellationToken));

    private static async Task<IResult> GetRuleAsync(string ruleId, ClaimsPrincipal caller, [FromServices] IAlertConfigStore store, CancellationToken cancellationToken) =>
        await store.GetConfigAsync(TenantOf(caller), RuleBook.RuleKind, ruleId, cancellationToken) is { } json
            ? TypedResults.Ok(JsonSerializer.Deserialize<HubRule>(json, RuleBook.Json))
            : throw NotFound("rule", ruleId);

    private static async Task<IResult> PutRuleAsync(
        string ruleId, JsonElement body, ClaimsPrincipal caller, [FromServices] IAlertConfigStore store, [FromServices] RuleBook book, [FromServices] AuditLog audit,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(caller);
        CheckId("ruleId", ruleId);
        var problems = new List<string>();
        var rule = HubRuleParser.Parse(tenant, ruleId, body, await book.ChannelIdsAsync(tenant, cancellationToken), problems);
        if (rule is null)
        {
            await audit.RecordAsync(caller, "alerts.rule.put", $"rule/{ruleId}", AuditLog.Refused, string.Join("; ", problems), cancellationToken);
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid rule", string.Join("; ", problems));
        }

        var created = await store.PutConfigAsync(tenant, RuleBook.RuleKind, ruleId, JsonSerializer.Serialize(rule, RuleBook.Json), time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(caller, "alerts.rule.put", $"rule/{ruleId}", AuditLog.Ok, rule.Kind, cancellationToken);
        return created ? TypedResults.Created($"/api/v1/alerts/rules/{ruleId}", rule) : TypedResults.Ok(rule);
    }

    private static async Task<IResult> DeleteRuleAsync(
        string ruleId, ClaimsPrincipal caller, [FromServices] IAlertConfigStore store, [FromServices] AuditLog audit, CancellationToken cancellationToken)
    {
        if (!await store.DeleteConfigAsync(TenantOf(caller), RuleBook.RuleKind, ruleId, cancellationToken))
        {
            throw NotFound("rule", ruleId);
        }

        await audit.RecordAsync(caller, "alerts.rule.delete", $"rule/{ruleId}", AuditLog.Ok, null, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListChannelsAsync(ClaimsPrincipal caller, [FromServices] IAlertConfigStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListConfigsAsync(TenantOf(caller), RuleBook.ChannelKind, cancellationToken))
            .Select(d => View(JsonSerializer.Deserialize<NotificationChannel>(d.Json, RuleBook.Json)!)));

    private static async Task<IResult> GetChannelAsync(string channelId, ClaimsPrincipal caller, [FromServices] RuleBook book, CancellationToken cancellationToken) =>
        await book.ChannelAsync(TenantOf(caller), channelId, cancellationToken) is { } channel ? TypedResults.Ok(View(channel)) : throw NotFound("channel", channelId);

    private static async Task<IResult> PutChannelAsync(
        string channelId, JsonElement body, ClaimsPrincipal caller, [FromServices] IAlertConfigStore store, [FromServices] AuditLog audit, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var tenant = TenantOf(caller);
        CheckId("channelId", channelId);
        var problems = new List<string>();
        var channel = ChannelParser.Parse(tenant, channelId, body, problems);
        if (channel is null)
        {
            await audit.RecordAsync(caller, "alerts.channel.put", $"channel/{channelId}", AuditLog.Refused, string.Join("; ", problems), cancellationToken);
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid channel", string.Join("; ", problems));
        }

        var created = await store.PutConfigAsync(tenant, RuleBook.ChannelKind, channelId, JsonSerializer.Serialize(channel, RuleBook.Json), time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(caller, "alerts.channel.put", $"channel/{channelId}", AuditLog.Ok, channel.Kind, cancellationToken);
        return created ? TypedResults.Created($"/api/v1/alerts/channels/{channelId}", View(channel)) : TypedResults.Ok(View(channel));
    }

    private static async Task<IResult> DeleteChannelAsync(
        string channelId, ClaimsPrincipal caller, [FromServices] IAlertConfigStore store, [FromServices] RuleBook book, [FromServices] AuditLog audit, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(caller);
        var users = (await book.RulesAsync(tenant, cancellationToken)).Where(r => r.Escalation.Any(l => l.Channels.Contains(channelId))).Select(r => r.Id).ToList();
        if (users.Count > 0)
        {
            throw new FleetRequestException(StatusCodes.Status409Conflict, "Channel in use", $"channel '{channelId}' is named by the rules {string.Join(", ", users)}; change them first");
        }

        if (!await store.DeleteConfigAsync(tenant, RuleBook.ChannelKind, channelId, cancellationToken))
        {
            throw NotFound("channel", channelId);
        }

        await audit.RecordAsync(caller, "alerts.channel.delete", $"channel/{channelId}", AuditLog.Ok, null, cancellationToken);
        return TypedResults.NoContent();
    }

    private static object View(NotificationChannel channel) => new { id = channel.Id, kind = channel.Kind, url = channel.Url, secretSet = channel.Secret is not null, to = channel.To };

    private static void CheckId(string name, string id)
    {
        if (!IdPattern().IsMatch(id))
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid id", $"path segment '{name}' must be 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
    }

    private static string TenantOf(ClaimsPrincipal caller) =>
        FleetClaims.TenantOf(caller) ?? throw new FleetRequestException(StatusCodes.Status403Forbidden, "No tenant", "the caller belongs to no tenant");

    private static FleetRequestException NotFound(string what, string id) => new(StatusCodes.Status404NotFound, $"Unknown {what}", $"{what} '{id}' is not one of your tenant's");

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();
}
