using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Hub.Dashboard;

/// <summary>
/// Serves the dashboard under <c>/dashboard/</c>. The files are public (they hold no data: every figure comes
/// from the API, which checks the caller's API key or JWT); each answer carries a strict Content-Security-Policy
/// (scripts, styles and connections from the hub itself only, no inline script or style, no framing), so an
/// injected script has nowhere to run and nowhere to send data.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>The Content-Security-Policy of every dashboard answer.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Registers the dashboard's files (read once from the assembly).</summary>
    public static IHostApplicationBuilder AddHubDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(_ => DashboardAssets.Load());
        return builder;
    }

    /// <summary>Maps <c>/dashboard/{path}</c> (and <c>/dashboard</c>, a redirect), kept out of the OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapHubDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/dashboard/{**path}", Serve).ExcludeFromDescription().AllowAnonymous();
        return endpoints;
    }

    private static IResult Serve(string? path, HttpContext http, DashboardAssets assets)
    {
        // Routing matches "/dashboard" and "/dashboard/" alike; the pages' relative links need the slash.
        if (string.IsNullOrEmpty(path) && !http.Request.Path.Value!.EndsWith('/'))
        {
            return TypedResults.Redirect("/dashboard/");
        }

        var asset = assets.Find(string.IsNullOrEmpty(path) ? "index.html" : path);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset is null)
        {
            return TypedResults.NotFound();
        }

        // Revalidated on every load: an upgraded hub must never run yesterday's script against today's API.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
