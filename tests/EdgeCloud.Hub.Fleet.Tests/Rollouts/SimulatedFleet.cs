using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Ingest.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>Many <see cref="SimulatedAgent"/>s of the default tenant, enrolled with one label and connected, plus the tenant's release key.</summary>
internal sealed class SimulatedFleet : IAsyncDisposable
{
    private SecureHub _hub;
    private List<SimulatedAgent> _agents;

    private SimulatedFleet(SecureHub hub, List<SimulatedAgent> agents)
    {
        _hub = hub;
        _agents = agents;
    }

    public IReadOnlyList<SimulatedAgent> Agents => _agents;

    public ReleaseKit Kit { get; } = new();

    public static async Task<SimulatedFleet> StartAsync(SecureHub hub, int count, string label)
    {
        var enrolled = new List<TestAgent>();
        for (var i = 0; i < count; i++)
        {
            enrolled.Add(await hub.EnrollAsync($"sim-{i:D3}", null, label));
        }

        var agents = await ConnectAllAsync(enrolled.Select(a => (a, (SimulatedAgent?)null)));
        var fleet = new SimulatedFleet(hub, agents);
        await fleet.Kit.RegisterAsync(hub.Admin);
        await fleet.HealthArrivedAsync();
        return fleet;
    }

    /// <summary>Closes every stream and connects again to <paramref name="hub"/> (a restarted hub), keeping each agent's directives and answer.</summary>
    public async Task ReconnectAsync(SecureHub hub)
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        _hub = hub;
        _agents = await ConnectAllAsync(_agents.Select(a => (a.Agent, (SimulatedAgent?)a)));
        await HealthArrivedAsync();
    }

    /// <summary>Uploads a signed agent build 1.2.3 and returns its id.</summary>
    public Task<string> UploadAsync() => Kit.UploadOkAsync(_hub.Admin, ReleaseKit.Content(20_000));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
            agent.Agent.Dispose();
        }

        Kit.Dispose();
    }

    private static async Task<List<SimulatedAgent>> ConnectAllAsync(IEnumerable<(TestAgent Agent, SimulatedAgent? Earlier)> agents)
    {
        var connected = new List<SimulatedAgent>();
        foreach (var batch in agents.Chunk(25))
        {
            connected.AddRange(await Task.WhenAll(batch.Select(a => SimulatedAgent.ConnectAsync(a.Agent, a.Earlier))));
        }

        return connected;
    }

    /// <summary>Every agent's baseline health must have arrived before a campaign starts, or it would wait for it.</summary>
    private Task HealthArrivedAsync()
    {
        var presence = _hub.App.Services.GetRequiredService<IAgentPresence>();
        return Eventually.TrueAsync(() => Task.FromResult(_agents.All(a => presence.Find(a.AgentId)?.Health is not null)), "every simulated agent's health to arrive");
    }
}
