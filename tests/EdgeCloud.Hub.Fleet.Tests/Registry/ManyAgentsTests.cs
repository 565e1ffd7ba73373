using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeCloud.Hub.Fleet.Tests.Registry;

/// <summary>Hundreds of light in-process agents enrolled and streaming over mTLS at once; the registry sees each, by group.</summary>
public sealed class ManyAgentsTests
{
    private const int Agents = 200;

    [Fact]
    public async Task Registry_HundredsOfMtlsAgents_AllOnlineAndFilteredByLabel()
    {
        await using var hub = await SecureHub.StartAsync();
        var enrolled = new List<TestAgent>();
        var open = new List<(GrpcChannel Channel, AsyncDuplexStreamingCall<AgentMessage, HubMessage> Call)>();
        try
        {
            for (var i = 0; i < Agents; i++)
            {
                enrolled.Add(await hub.EnrollAsync($"sim-{i:D3}", null, i % 2 == 0 ? "even" : "odd"));
            }

            foreach (var batch in enrolled.Chunk(25))
            {
                open.AddRange(await Task.WhenAll(batch.Select(a => a.ConnectAsync())));
            }

            var all = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents");
            var even = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents?label=even");

            Assert.Equal(Agents, all.GetArrayLength());
            Assert.All(all.EnumerateArray(), a => Assert.True(a.GetProperty("online").GetBoolean(), a.GetProperty("agentId").GetString()));
            Assert.Equal(Agents / 2, even.GetArrayLength());
        }
        finally
        {
            foreach (var (channel, call) in open)
            {
                call.Dispose();
                channel.Dispose();
            }

            enrolled.ForEach(a => a.Dispose());
        }
    }
}
