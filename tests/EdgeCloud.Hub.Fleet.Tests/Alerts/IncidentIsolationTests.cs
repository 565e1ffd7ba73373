using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Tests.Alerts;

/// <summary>Incidents, rules and channels are tenant-scoped: mTLS agents of two tenants raise alarms; each tenant sees and changes only its own.</summary>
public sealed class IncidentIsolationTests
{
    [Fact]
    public async Task Incidents_OtherTenantsAgentAlarm_InvisibleAndUnchangeable()
    {
        await using var hub = await SecureHub.StartAsync("--Alerts:MonitorInterval=00:00:00.200", "--Fleet:RequestsPerMinute=1000000");
        using var adminA = hub.Client(await hub.CreateUserAsync("tenant-a", "a-admin", "admin"));
        using var adminB = hub.Client(await hub.CreateUserAsync("tenant-b", "b-admin", "admin"));
        using var agentA = await hub.EnrollAsync("agent-of-a", adminA);
        using var agentB = await hub.EnrollAsync("agent-of-b", adminB);
        using var rule = await adminB.PutAsJsonAsync("/api/v1/alerts/rules/b-offline", new { kind = "agent-offline", seconds = 3600 });
        rule.EnsureSuccessStatusCode();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var eventsA = await adminA.GetAsync("/api/v1/incidents/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var readerA = new StreamReader(await eventsA.Content.ReadAsStreamAsync(timeout.Token));

        await RaiseAsync(agentB, "b-secret-alarm");
        var idB = await WaitForOneAsync(adminB);
        await RaiseAsync(agentA, "a-alarm");
        var idA = await WaitForOneAsync(adminA);
        var streamedA = await SseReader.ReadUntilAsync(readerA, "a-alarm", timeout.Token);

        using var getB = await adminA.GetAsync($"/api/v1/incidents/{idB}");
        using var ackB = await adminA.PostAsJsonAsync($"/api/v1/incidents/{idB}/acknowledge", new { });
        using var resolveB = await adminA.PostAsJsonAsync($"/api/v1/incidents/{idB}/resolve", new { });
        using var ruleB = await adminA.GetAsync("/api/v1/alerts/rules/b-offline");
        var listA = await adminA.GetStringAsync("/api/v1/incidents");
        var rulesA = await adminA.GetStringAsync("/api/v1/alerts/rules");

        Assert.NotEqual(idA, idB);
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { getB.StatusCode, ackB.StatusCode, resolveB.StatusCode, ruleB.StatusCode });
        Assert.DoesNotContain("agent-of-b", listA, StringComparison.Ordinal);
        Assert.DoesNotContain("b-offline", rulesA, StringComparison.Ordinal);
        Assert.DoesNotContain("agent-of-b", streamedA, StringComparison.Ordinal);
        Assert.Equal("open", (await adminB.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{idB}")).GetProperty("state").GetString());
    }

    private static async Task RaiseAsync(TestAgent agent, string alarmId)
    {
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            var batch = TestAgent.Batch(1);
            batch.Alarms.Add(new AlarmEvent { EventNumber = 1, AlarmId = alarmId, State = "active", Kind = "raised", Severity = 700, Message = $"{alarmId} is active", TimeUnixNano = 1 });
            await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = batch });
            Assert.Equal(1UL, (await TestAgent.ReadAsync(call)).Ack.Sequence);
        }
    }

    private static async Task<long> WaitForOneAsync(HttpClient admin)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var incidents = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/incidents");
            if (incidents!.Length == 1)
            {
                return incidents[0].GetProperty("id").GetInt64();
            }

            Assert.True(incidents.Length == 0, $"a tenant saw {incidents.Length} incidents");
            await Task.Delay(50);
        }

        Assert.Fail("no incident was opened");
        return 0;
    }
}
