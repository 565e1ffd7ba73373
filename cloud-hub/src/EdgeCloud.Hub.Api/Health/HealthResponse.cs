using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeCloud.Hub.Api.Health;

/// <summary>
/// Writes <c>/healthz</c> as <c>{"status":"healthy","checks":{"storage":"healthy"}}</c>; the HTTP status
/// (200, or 503 when unhealthy) is set by the health check middleware. No exception text leaves the hub.
/// </summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["status"] = Name(report.Status),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => Name(e.Value.Status), StringComparer.Ordinal),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();
}
