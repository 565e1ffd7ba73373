using EdgeCloud.Hub.Fleet.Rollouts;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>Turns an <see cref="ArtifactRefusedException"/> into its problem-details answer, with the machine-readable <c>reason</c> member.</summary>
internal sealed class ArtifactProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ArtifactRefusedException refused)
        {
            return TypedResults.Problem(
                statusCode: refused.StatusCode, title: "Artifact refused", detail: refused.Message, extensions: new Dictionary<string, object?> { ["reason"] = refused.Reason });
        }
    }
}
