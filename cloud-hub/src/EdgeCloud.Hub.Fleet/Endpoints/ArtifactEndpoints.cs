using System.Security.Claims;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Identity;
using EdgeCloud.Hub.Fleet.Rollouts;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>
/// Release keys and artifacts of the caller's tenant (changes: admin; reads: any role), and the agents'
/// download route, which checks the agent's client certificate itself and serves HTTP ranges.
/// </summary>
internal static class ArtifactEndpoints
{
    /// <summary>In the insecure development mode (no client certificates) the agent names itself in this header, believed like its Hello.</summary>
    public const string AgentHeader = "X-Agent-Id";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/release-keys", AddKeyAsync).ForAdmins("AddReleaseKey");
        api.MapGet("/release-keys", ListKeysAsync).ForViewers("ListReleaseKeys");
        api.MapPost("/artifacts", UploadAsync).ForAdmins("UploadArtifact");
        api.MapGet("/artifacts", ListAsync).ForViewers("ListArtifacts");
        api.MapGet("/artifacts/{artifactId}", GetAsync).ForViewers("GetArtifact");
        api.MapGet("/agent/artifacts/{artifactId}/content", ContentAsync).ForAgents("DownloadArtifact");
    }

    private static async Task<IResult> AddKeyAsync(JsonElement body, ClaimsPrincipal caller, [FromServices] ArtifactService artifacts, CancellationToken cancellationToken)
    {
        var request = StrictBody.Parse(body, "name", "publicKeyPem");
        var key = await artifacts.RegisterKeyAsync(caller, request.String("name", true)!, request.String("publicKeyPem", true)!, cancellationToken);
        return TypedResults.Created($"/api/v1/release-keys/{key.Id}", KeyView(key));
    }

    private static async Task<IResult> ListKeysAsync(ClaimsPrincipal caller, [FromServices] IRolloutStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListReleaseKeysAsync(FleetClaims.TenantOf(caller)!, cancellationToken)).Select(KeyView).ToList());

    private static async Task<IResult> UploadAsync(
        HttpContext context, [FromQuery] string? kind, [FromQuery] string? name, [FromQuery] string? version, [FromQuery] string? signature, [FromQuery] string? keyId,
        [FromServices] ArtifactService artifacts, CancellationToken cancellationToken)
    {
        var artifact = await artifacts.UploadAsync(context.User, context, kind, name, version, signature, keyId, cancellationToken);
        return TypedResults.Created($"/api/v1/artifacts/{artifact.Id}", CampaignView.ArtifactView(artifact));
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal caller, [FromServices] IRolloutStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListArtifactsAsync(FleetClaims.TenantOf(caller)!, cancellationToken)).Select(CampaignView.ArtifactView).ToList());

    private static async Task<IResult> GetAsync(string artifactId, ClaimsPrincipal caller, [FromServices] IRolloutStore store, CancellationToken cancellationToken) =>
        await store.GetArtifactAsync(FleetClaims.TenantOf(caller)!, artifactId, cancellationToken) is { } artifact
            ? TypedResults.Ok(CampaignView.ArtifactView(artifact))
            : UnknownArtifact(artifactId);

    /// <summary>
    /// The artifact's bytes for an agent of its tenant. mTLS mode: the client certificate must be one this hub
    /// issued to an enrolled, unrevoked agent (the checks of the sync stream). <c>Range: bytes=a-b</c> is answered
    /// with 206, an unsatisfiable range with 416; the ETag is the SHA-256.
    /// </summary>
    private static async Task<IResult> ContentAsync(
        string artifactId, HttpContext context, [FromServices] IOptions<FleetOptions> options, [FromServices] HubCertificateAuthority ca, [FromServices] IFleetStore registry,
        [FromServices] IRolloutStore store, [FromServices] ArtifactService artifacts, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        string? agentId;
        if (options.Value.Mode == FleetSecurityMode.Mtls)
        {
            var certificate = await context.Connection.GetClientCertificateAsync(cancellationToken);
            if (certificate is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "No client certificate", detail: "download from the sync endpoint (https) with the agent's certificate");
            }

            agentId = AgentCertificateCheck.Verify(ca, certificate, time.GetUtcNow(), out var reason);
            if (agentId is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Certificate refused", detail: reason);
            }

            if (!await registry.IsCertificateOfAsync(agentId, AgentCertificateCheck.Serial(certificate), cancellationToken))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Certificate refused", detail: $"the certificate was not issued to agent '{agentId}' by this hub (it enrolled again since)");
            }
        }
        else
        {
            agentId = context.Request.Headers[AgentHeader].ToString();
        }

        var agent = agentId is { Length: > 0 } ? await registry.GetAgentAsync(agentId, cancellationToken) : null;
        if (agent is null || agent.RevokedAt is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Agent refused", detail: $"agent '{agentId}' is not enrolled on this hub or was revoked");
        }

        return await store.GetArtifactAsync(agent.Tenant, artifactId, cancellationToken) is { } artifact
            ? TypedResults.PhysicalFile(artifacts.PathOf(artifact), "application/octet-stream", enableRangeProcessing: true, entityTag: new EntityTagHeaderValue($"\"{artifact.Sha256}\""))
            : UnknownArtifact(artifactId);
    }

    private static object KeyView(ReleaseKeyRecord key) => new { id = key.Id, name = key.Name, publicKeyPem = key.PublicKeyPem, createdBy = key.CreatedBy, createdAt = key.CreatedAt.ToString("O") };

    private static ProblemHttpResult UnknownArtifact(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown artifact", detail: $"artifact '{id}' is not one of your tenant's");
}
