using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Fleet.Endpoints;

/// <summary>Turns a <see cref="FleetRequestException"/> from a fleet route into its problem-details answer.</summary>
internal sealed class FleetProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (FleetRequestException refused)
        {
            return TypedResults.Problem(statusCode: refused.StatusCode, title: refused.Title, detail: refused.Message);
        }
    }
}
