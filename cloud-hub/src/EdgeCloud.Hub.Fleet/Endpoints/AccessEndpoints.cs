using System.Security.Claims;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Storage.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>Tenants, users (each created with one API key, shown once), JWTs for API keys, and who am I.</summary>
internal static class AccessEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/tenants", CreateTenantAsync).ForAdmins("CreateTenant");
        api.MapGet("/tenants", ListTenantsAsync).ForViewers("ListTenants");
        api.MapPost("/tenants/{tenantId}/users", CreateUserAsync).ForAdmins("CreateUser");
        api.MapGet("/users", ListUsersAsync).ForAdmins("ListUsers");
        api.MapPost("/auth/token", IssueToken).ForViewers("IssueToken");
        api.MapGet("/auth/whoami", WhoAmI).ForViewers("WhoAmI");
    }

    private static async Task<IResult> CreateTenantAsync(
        JsonElement body, ClaimsPrincipal caller, [FromServices] IFleetStore store, [FromServices] AuditLog audit, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var request = StrictBody.Parse(body, "id", "name");
        var id = request.String("id", true)!;
        if (!FleetClaims.IsRootAdmin(caller))
        {
            await audit.RecordAsync(caller, "tenant.create", id, AuditLog.Refused, "only admins of the default tenant create tenants", cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "only admins of the default tenant create tenants");
        }

        if (!NameRules.IsValidName(id))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid body", detail: $"field 'id' must be {NameRules.NameRuleText}");
        }

        var created = await store.CreateTenantAsync(new TenantRecord(id, request.String("name", false) ?? id, time.GetUtcNow()), cancellationToken);
        await audit.RecordAsync(FleetClaims.ActorOf(caller), id, "tenant.create", id, created ? AuditLog.Ok : AuditLog.Refused, created ? null : "exists", cancellationToken);
        return created
            ? TypedResults.Created($"/api/v1/tenants/{id}", new { id })
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Tenant exists", detail: $"tenant '{id}' exists already");
    }

    private static async Task<IResult> ListTenantsAsync(ClaimsPrincipal caller, [FromServices] IFleetStore store, CancellationToken cancellationToken)
    {
        var tenants = await store.ListTenantsAsync(cancellationToken);
        var own = FleetClaims.TenantOf(caller);
        return TypedResults.Ok(tenants.Where(t => string.Equals(t.Id, own, StringComparison.Ordinal) || FleetClaims.IsRootAdmin(caller))
            .Select(t => new { id = t.Id, name = t.Name, createdAt = t.CreatedAt.ToString("O") }).ToList());
    }

    private static async Task<IResult> CreateUserAsync(
        string tenantId, JsonElement body, ClaimsPrincipal caller, [FromServices] IFleetStore store, [FromServices] AuditLog audit, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        // An admin manages its own tenant only; admins of the default tenant also set up new tenants.
        if (!string.Equals(tenantId, FleetClaims.TenantOf(caller), StringComparison.Ordinal) && !FleetClaims.IsRootAdmin(caller))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown tenant", detail: $"tenant '{tenantId}' is not yours");
        }

        var request = StrictBody.Parse(body, "id", "name", "role");
        var id = request.String("id", true)!;
        var role = request.String("role", true)!;
        if (!NameRules.IsValidName(id) || !FleetRoles.All.Contains(role, StringComparer.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid body",
                detail: $"field 'id' must be {NameRules.NameRuleText}; field 'role' must be one of {string.Join(", ", FleetRoles.All)}");
        }

        if (await store.GetTenantAsync(tenantId, cancellationToken) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown tenant", detail: $"tenant '{tenantId}' does not exist");
        }

        var now = time.GetUtcNow();
        if (!await store.CreateUserAsync(new UserRecord(id, tenantId, request.String("name", false) ?? id, role, now), cancellationToken))
        {
            await audit.RecordAsync(FleetClaims.ActorOf(caller), tenantId, "user.create", id, AuditLog.Refused, "exists", cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "User exists", detail: $"user '{id}' exists already");
        }

        var key = Secrets.New(Secrets.ApiKeyPrefix);
        var hash = Secrets.Hash(key);
        await store.AddApiKeyAsync(hash, Secrets.PublicId(hash), id, now, cancellationToken);
        await audit.RecordAsync(FleetClaims.ActorOf(caller), tenantId, "user.create", id, AuditLog.Ok, $"role {role}, API key {Secrets.PublicId(hash)}", cancellationToken);
        return TypedResults.Created($"/api/v1/users/{id}", new { id, tenant = tenantId, role, apiKey = key });
    }

    private static async Task<IResult> ListUsersAsync(ClaimsPrincipal caller, [FromServices] IFleetStore store, CancellationToken cancellationToken)
    {
        var users = await store.ListUsersAsync(FleetClaims.TenantOf(caller)!, cancellationToken);
        return TypedResults.Ok(users.Select(u => new { id = u.Id, tenant = u.Tenant, name = u.Name, role = u.Role, createdAt = u.CreatedAt.ToString("O") }).ToList());
    }

    private static Ok<TokenView> IssueToken(ClaimsPrincipal caller, [FromServices] JwtIssuer issuer, [FromServices] TimeProvider time)
    {
        var user = new UserRecord(FleetClaims.ActorOf(caller), FleetClaims.TenantOf(caller)!, FleetClaims.ActorOf(caller), caller.FindFirst(FleetClaims.Role)!.Value, time.GetUtcNow());
        var (token, expiresIn) = issuer.Issue(user);
        return TypedResults.Ok(new TokenView(token, "Bearer", expiresIn));
    }

    private static Ok<CallerView> WhoAmI(ClaimsPrincipal caller) =>
        TypedResults.Ok(new CallerView(FleetClaims.ActorOf(caller), FleetClaims.TenantOf(caller), caller.FindFirst(FleetClaims.Role)?.Value));
}
