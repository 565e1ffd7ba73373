using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Hub.Dashboard.Tests.TestSupport;

/// <summary>
/// Imitates the hub's incidents API (the shared incidents contract: GET /api/v1/incidents, POST
/// /api/v1/incidents/{id}/acknowledge) that another branch builds at the same time; it does not exist on this
/// branch, so the dashboard's acknowledge button is tested against this contract-shaped stand-in. Replace it
/// with the real API (an agent alarm opening an incident) once both branches are merged. It answers before the
/// hub's pipeline, so it checks no caller: it only imitates the answers.
/// </summary>
internal sealed class IncidentsStandIn : IStartupFilter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, Dictionary<string, object?>> _incidents = new(StringComparer.Ordinal);

    /// <summary>POST bodies received, in order ("id verb body").</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public void Open(string id, string agentId, string message, int severity, DateTimeOffset openedAt) =>
        _incidents[id] = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["agentId"] = agentId,
            ["source"] = "agent-alarm",
            ["rule"] = "temp-high",
            ["tag"] = "plc/temp",
            ["severity"] = severity,
            ["state"] = "open",
            ["level"] = 0,
            ["message"] = message,
            ["openedAt"] = openedAt.ToString("O"),
            ["lastEventAt"] = openedAt.ToString("O"),
            ["acknowledgedAt"] = null,
            ["acknowledgedBy"] = null,
            ["snoozedUntil"] = null,
            ["resolvedAt"] = null,
        };

    public string? StateOf(string id) => _incidents.TryGetValue(id, out var incident) ? (string?)incident["state"] : null;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, following) =>
        {
            var path = http.Request.Path.Value ?? string.Empty;
            if (!path.StartsWith("/api/v1/incidents", StringComparison.Ordinal) || path.StartsWith("/api/v1/incidents/events", StringComparison.Ordinal))
            {
                await following(http);
                return;
            }

            await HandleAsync(http, path);
        });
        next(app);
    };

    private async Task HandleAsync(HttpContext http, string path)
    {
        var parts = path["/api/v1/incidents".Length..].Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 && HttpMethods.IsGet(http.Request.Method))
        {
            var state = http.Request.Query["state"].ToString();
            var list = _incidents.Values.Where(i => state.Length == 0 || (string?)i["state"] == state).OrderByDescending(i => (string?)i["openedAt"]).ToList();
            await http.Response.WriteAsJsonAsync(list, Json);
            return;
        }

        if (parts.Length == 2 && HttpMethods.IsPost(http.Request.Method) && _incidents.TryGetValue(parts[0], out var incident) && parts[1] == "acknowledge")
        {
            using var reader = new StreamReader(http.Request.Body);
            Calls.Enqueue($"{parts[0]} {parts[1]} {await reader.ReadToEndAsync()}");
            incident["state"] = "acknowledged";
            incident["acknowledgedAt"] = DateTimeOffset.UtcNow.ToString("O");
            incident["acknowledgedBy"] = "dev-admin";
            await http.Response.WriteAsJsonAsync(incident, Json);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
