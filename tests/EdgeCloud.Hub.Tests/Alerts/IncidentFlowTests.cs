using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Hub.Tests.Alerts;

/// <summary>Incidents end to end on a real hub: agent alarm events over a real gRPC stream, the REST API, the event stream, audit.</summary>
public sealed class IncidentFlowTests
{
    [Fact]
    public async Task AgentAlarm_ActiveTwiceThenCleared_OneIncidentOpenedThenResolvedAndStreamed()
    {
        await using var alerts = await AlertsHub.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var events = await alerts.Admin.GetAsync("/api/v1/incidents/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(timeout.Token));
        using var agent = await alerts.Hub.ConnectAsync("gw-1");

        await AlertsHub.SendAlarmsAsync(agent, 1, AlertsHub.Alarm(1, "high-temp:plc1/temperature", "active"));
        await AlertsHub.SendAlarmsAsync(agent, 2, AlertsHub.Alarm(2, "high-temp:plc1/temperature", "active"), AlertsHub.Alarm(3, "other", "acknowledged"));
        var open = await alerts.WaitForIncidentAsync(i => i.GetProperty("state").GetString() == "open", "the alarm opened an incident");
        await AlertsHub.SendAlarmsAsync(agent, 3, AlertsHub.Alarm(4, "high-temp:plc1/temperature", "cleared"));
        var resolved = await alerts.WaitForIncidentAsync(i => i.GetProperty("state").GetString() == "resolved", "the cleared event resolved it");
        var streamed = await SseReader.ReadUntilAsync(reader, "\"state\":\"resolved\"", timeout.Token);

        Assert.Single(await alerts.IncidentsAsync());
        Assert.Equal(open.GetProperty("id").GetInt64(), resolved.GetProperty("id").GetInt64());
        Assert.Equal(("gw-1", "agent-alarm", "high-temp", "plc1/temperature", 700, 1), (
            resolved.GetProperty("agentId").GetString(), resolved.GetProperty("source").GetString(), resolved.GetProperty("rule").GetString(),
            resolved.GetProperty("tag").GetString(), resolved.GetProperty("severity").GetInt32(), resolved.GetProperty("level").GetInt32()));
        Assert.EndsWith("Z", resolved.GetProperty("resolvedAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, resolved.GetProperty("acknowledgedAt").ValueKind);
        Assert.Contains("event: incident", streamed, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"open\"", streamed, StringComparison.Ordinal);
        Assert.True(streamed.IndexOf("\"state\":\"open\"", StringComparison.Ordinal) < streamed.IndexOf("\"state\":\"resolved\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lifecycle_AcknowledgeSnoozeResolve_AnsweredAuditedAndChecked()
    {
        await using var alerts = await AlertsHub.StartAsync();
        using var agent = await alerts.Hub.ConnectAsync("gw-1");
        await AlertsHub.SendAlarmsAsync(agent, 1, AlertsHub.Alarm(1, "pressure", "active"));
        var id = (await alerts.WaitForIncidentAsync(_ => true, "the alarm opened an incident")).GetProperty("id").GetInt64();

        var acknowledged = await PostAsync(alerts.Admin, $"/api/v1/incidents/{id}/acknowledge", new { comment = "on it" });
        var snoozed = await PostAsync(alerts.Admin, $"/api/v1/incidents/{id}/snooze", new { minutes = 30 });
        var resolved = await PostAsync(alerts.Admin, $"/api/v1/incidents/{id}/resolve", new { });
        using var again = await alerts.Admin.PostAsJsonAsync($"/api/v1/incidents/{id}/resolve", new { });
        using var unknown = await alerts.Admin.GetAsync("/api/v1/incidents/987654");
        using var badSnooze = await alerts.Admin.PostAsJsonAsync($"/api/v1/incidents/{id}/snooze", new { minutes = 0 });
        using var badField = await alerts.Admin.PostAsJsonAsync($"/api/v1/incidents/{id}/acknowledge", new { commnet = "typo" });
        using var badState = await alerts.Admin.GetAsync("/api/v1/incidents?state=closed");
        using var badLimit = await alerts.Admin.GetAsync("/api/v1/incidents?limit=100000");

        Assert.Equal(("acknowledged", "admin"), (acknowledged.GetProperty("state").GetString(), acknowledged.GetProperty("acknowledgedBy").GetString()));
        Assert.Equal("snoozed", snoozed.GetProperty("state").GetString());
        var until = DateTimeOffset.Parse(snoozed.GetProperty("snoozedUntil").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal(
            [HttpStatusCode.Conflict, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest],
            new[] { again.StatusCode, unknown.StatusCode, badSnooze.StatusCode, badField.StatusCode, badState.StatusCode, badLimit.StatusCode });
        Assert.Contains("commnet", await badField.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await alerts.Hub.App.Services.GetRequiredService<IFleetStore>().ListAuditAsync("default", 0, 100, CancellationToken.None);
        Assert.Equal(
            ["incident.acknowledge:ok", "incident.snooze:ok", "incident.resolve:ok", "incident.resolve:refused"],
            audit.Where(a => a.Target == $"incident/{id}").Select(a => $"{a.Action}:{a.Result}"));
    }

    [Fact]
    public async Task Viewer_ReadsButCannotChange()
    {
        await using var alerts = await AlertsHub.StartAsync();
        using var created = await alerts.Admin.PostAsJsonAsync("/api/v1/tenants/default/users", new { id = "watcher", role = "viewer" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
        using var viewer = new HttpClient { BaseAddress = alerts.Hub.ApiUri };
        viewer.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var agent = await alerts.Hub.ConnectAsync("gw-1");
        await AlertsHub.SendAlarmsAsync(agent, 1, AlertsHub.Alarm(1, "pressure", "active"));
        var id = (await alerts.WaitForIncidentAsync(_ => true, "the alarm opened an incident")).GetProperty("id").GetInt64();

        using var read = await viewer.GetAsync($"/api/v1/incidents/{id}");
        using var change = await viewer.PostAsJsonAsync($"/api/v1/incidents/{id}/acknowledge", new { });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden), (read.StatusCode, change.StatusCode));
        Assert.Equal("open", (await alerts.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("state").GetString());
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
