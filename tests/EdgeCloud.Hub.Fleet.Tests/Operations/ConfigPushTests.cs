using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeCloud.Hub.Fleet.Tests.Operations;

/// <summary>Desired site config per group: validated at the hub with the agent's validator, delivered live to hundreds of light agents and at connect to late ones.</summary>
public sealed class ConfigPushTests
{
    private const int GroupMembers = 150;

    private const string ValidSite = """
        { "devices": [ { "name": "plc1", "protocol": "modbus-tcp", "host": "10.0.0.5", "port": 502, "unitId": 1, "pollIntervalMs": 1000, "timeoutMs": 500,
            "tags": [ { "name": "temperature", "area": "holding", "address": 0, "type": "float32" } ] } ] }
        """;

    [Fact]
    public async Task Push_InvalidSiteConfig_RefusedWithEveryErrorAndNeverSent()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        await SetGroupAsync(hub, "gw-1", "line-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            const string bad = """{ "devices": [ { "name": "plc1", "protocol": "modbus-tcp", "port": 70000, "unitId": 1, "tags": [] } ] }""";
            using var refused = await Push(hub.Admin, "group", "line-1", bad);
            var problem = await refused.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("host", problem, StringComparison.Ordinal);
            Assert.Contains("port", problem, StringComparison.Ordinal);

            using var accepted = await Push(hub.Admin, "group", "line-1", ValidSite);
            accepted.EnsureSuccessStatusCode();
            var first = await TestAgent.ReadAsync(call);
            Assert.Equal("group:line-1:v1", first.DesiredConfig.ConfigVersion);
        }
    }

    [Fact]
    public async Task Push_GroupOfManyAgents_OnlineMembersGetItNowLateOnesAtConnectOthersNever()
    {
        await using var hub = await SecureHub.StartAsync();
        var agents = new List<TestAgent>();
        var open = new List<(GrpcChannel Channel, AsyncDuplexStreamingCall<AgentMessage, HubMessage> Call)>();
        try
        {
            for (var i = 0; i < GroupMembers + 2; i++)
            {
                agents.Add(await hub.EnrollAsync($"sim-{i:D3}"));
            }

            foreach (var agent in agents.Take(GroupMembers + 1))
            {
                await SetGroupAsync(hub, agent.AgentId, "line-1");
            }

            var outsider = agents[^1];
            var late = agents[GroupMembers];
            foreach (var batch in agents.Take(GroupMembers).Append(outsider).Chunk(25))
            {
                open.AddRange(await Task.WhenAll(batch.Select(a => a.ConnectAsync())));
            }

            using var pushed = await Push(hub.Admin, "group", "line-1", ValidSite);
            var answer = await pushed.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((GroupMembers + 1, GroupMembers), (answer.GetProperty("targets").GetInt32(), answer.GetProperty("deliveredNow").GetInt32()));

            var received = await Task.WhenAll(open.Take(GroupMembers).Select(o => TestAgent.ReadAsync(o.Call)));
            Assert.All(received, m => Assert.Equal("group:line-1:v1", m.DesiredConfig.ConfigVersion));
            Assert.Contains("temperature", received[0].DesiredConfig.SiteConfigJson.ToStringUtf8(), StringComparison.Ordinal);

            // The report of one member comes back to the registry.
            await open[0].Call.RequestStream.WriteAsync(new AgentMessage { ConfigReport = new ConfigReport { ConfigVersion = "group:line-1:v1", State = "stored", Detail = "ok" } });
            await Eventually.TrueAsync(
                async () => (await hub.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fleet/agents/{agents[0].AgentId}/config")).GetProperty("reported").ValueKind == JsonValueKind.Object,
                "the config report to be recorded");

            // A member that connects later gets it at connect; an agent outside the group never does.
            var (lateChannel, lateCall) = await late.ConnectAsync();
            open.Add((lateChannel, lateCall));
            Assert.Equal("group:line-1:v1", (await TestAgent.ReadAsync(lateCall)).DesiredConfig.ConfigVersion);
            var outsiderCall = open[GroupMembers].Call;
            await outsiderCall.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(1) });
            Assert.Equal(HubMessage.BodyOneofCase.Ack, (await TestAgent.ReadAsync(outsiderCall)).BodyCase);
        }
        finally
        {
            foreach (var (channel, call) in open)
            {
                call.Dispose();
                channel.Dispose();
            }

            agents.ForEach(a => a.Dispose());
        }
    }

    internal static async Task SetGroupAsync(SecureHub hub, string agentId, string group)
    {
        using var response = await hub.Admin.PutAsJsonAsync($"/api/v1/fleet/agents/{agentId}/labels", new { groups = new[] { group } });
        response.EnsureSuccessStatusCode();
    }

    private static Task<HttpResponseMessage> Push(HttpClient admin, string kind, string target, string site) =>
        admin.PutAsync($"/api/v1/fleet/configs/{kind}/{target}", new StringContent($$"""{"siteConfig": {{site}} }""", System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json")));
}
