using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Ingest.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>Many <see cref="SimulatedAgent"/>s of the default tenant, enrolled with one label and connected, plus the tenant's release key.</summary>
internal sealed class SimulatedFleet : IAsyncDisposable
{
    private readonly SecureHub _hub;

    private SimulatedFleet(SecureHub hub, List<SimulatedAgent> agents)
    {
        _hub = hub;
        Agents = agents;
    }

    public IReadOnlyList<SimulatedAgent> Agents { get; }

    public ReleaseKit Kit { get; } = new();

    public static async Task<SimulatedFleet> StartAsync(SecureHub hub, int count, string label)
    {
        var enrolled = new List<TestAgent>();
        for (var i = 0; i < count; i++)
        {
            enrolled.Add(await hub.EnrollAsync($"sim-{i:D3}", null, label));
        }

        var agents = new List<SimulatedAgent>();
        foreach (var batch in enrolled.Chunk(25))
        {
            agents.AddRange(await Task.WhenAll(batch.Select(SimulatedAgent.ConnectAsync)));
        }

        var fleet = new SimulatedFleet(hub, agents);
        await fleet.Kit.RegisterAsync(hub.Admin);

        // Every agent's baseline health must have arrived before a campaign starts, or it would wait for it.
        var presence = hub.App.Services.GetRequiredService<IAgentPresence>();
        await Eventually.TrueAsync(() => Task.FromResult(agents.All(a => presence.Find(a.AgentId)?.Health is not null)), "every simulated agent's health to arrive");
        return fleet;
    }

    /// <summary>Uploads a signed agent build 1.2.3 and returns its id.</summary>
    public Task<string> UploadAsync() => Kit.UploadOkAsync(_hub.Admin, ReleaseKit.Content(20_000));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in Agents)
        {
            await agent.DisposeAsync();
        }

        Kit.Dispose();
    }
}
