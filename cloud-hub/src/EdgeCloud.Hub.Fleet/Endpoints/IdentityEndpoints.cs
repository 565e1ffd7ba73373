using System.Security.Claims;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>Enrollment tokens, enrollment and renewal (anonymous: the token or the certificate is the credential), revocation.</summary>
internal static class IdentityEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/enrollment-tokens", CreateTokenAsync).ForAdmins("CreateEnrollmentToken");
        api.MapPost("/enroll", EnrollAsync).ForAgents("Enroll");
        api.MapPost("/enroll/renew", RenewAsync).ForAgents("RenewAgentCertificate");
        api.MapPost("/fleet/agents/{agentId}/revoke", RevokeAsync).ForAdmins("RevokeAgent");
    }

    private static async Task<IResult> CreateTokenAsync(JsonElement body, ClaimsPrincipal caller, [FromServices] EnrollmentService enrollment, CancellationToken cancellationToken)
    {
        var request = StrictBody.Parse(body, "labels", "lifetimeSeconds");
        var lifetime = TimeSpan.FromSeconds(request.Integer("lifetimeSeconds") ?? 3600);
        var (token, record) = await enrollment.CreateTokenAsync(caller, request.Strings("labels"), lifetime, cancellationToken);
        return TypedResults.Ok(new { token, id = record.Id, tenant = record.Tenant, labels = record.Labels, expiresAt = record.ExpiresAt.ToString("O") });
    }

    private static async Task<IResult> EnrollAsync(JsonElement body, [FromServices] EnrollmentService enrollment, CancellationToken cancellationToken)
    {
        var request = StrictBody.Parse(body, "token", "agentId", "csr");
        return TypedResults.Ok(await enrollment.EnrollAsync(request.String("token", true)!, request.String("agentId", true)!, request.String("csr", true)!, cancellationToken));
    }

    private static async Task<IResult> RenewAsync(JsonElement body, [FromServices] EnrollmentService enrollment, CancellationToken cancellationToken)
    {
        var request = StrictBody.Parse(body, "certificate", "csr", "signature");
        return TypedResults.Ok(await enrollment.RenewAsync(request.String("certificate", true)!, request.String("csr", true)!, request.String("signature", true)!, cancellationToken));
    }

    private static async Task<IResult> RevokeAsync(string agentId, ClaimsPrincipal caller, [FromServices] EnrollmentService enrollment, CancellationToken cancellationToken) =>
        await enrollment.RevokeAsync(caller, agentId, cancellationToken)
            ? TypedResults.Ok(new { agentId, revoked = true })
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown agent", detail: $"agent '{agentId}' is not enrolled in your tenant");
}
