using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>A campaign lives in the store: a hub stopped in the middle of a stage and started again on the same data continues it.</summary>
public sealed class CampaignRestartTests
{
    [Fact]
    public async Task Campaign_HubRestartsMidStage_ContinuesAndCompletes()
    {
        using var data = new TempDirectory();
        string[] fast = ["--Rollouts:TickInterval=00:00:00.100", "--Fleet:RequestsPerMinute=100000"];
        var first = await SecureHub.StartInAsync(data.Path, fast);
        var (api, sync) = (first.ApiUri, first.SyncUri);
        await using var fleet = await SimulatedFleet.StartAsync(first, 10, "line-1");
        var hold = new TaskCompletionSource();
        foreach (var agent in fleet.Agents)
        {
            agent.Decide = async _ =>
            {
                await hold.Task;
                return SimulatedOutcome.Succeed;
            };
        }

        var id = await CampaignTests.CreateAsync(first.Admin, await fleet.UploadAsync(), new { labels = new[] { "line-1" } }, [10, 100]);
        await Eventually.TrueAsync(() => Task.FromResult(fleet.Agents.Any(a => !a.Directives.IsEmpty)), "the first stage's directive");
        var firstStage = fleet.Agents.Single(a => !a.Directives.IsEmpty);

        // Stop while the first stage's agent is installing; start again on the same data and the same ports
        // (the agents' hub address, as for a real restart).
        await first.DisposeAsync();
        await using var second = await SecureHub.StartInAsync(
            data.Path, [.. fast, $"--Kestrel:Endpoints:Api:Url=http://127.0.0.1:{api.Port}", $"--Kestrel:Endpoints:Sync:Url=https://127.0.0.1:{sync.Port}"]);
        hold.SetResult();
        await fleet.ReconnectAsync(second);
        var done = await CampaignTests.WaitForStateAsync(second.Admin, id, "completed", TimeSpan.FromSeconds(30));

        Assert.All(done.GetProperty("agents").EnumerateArray(), a => Assert.Equal("healthy", a.GetProperty("state").GetString()));
        Assert.Equal(2, firstStage.Directives.Count); // sent again at reconnect: its install had not reported done
        Assert.All(fleet.Agents.Where(a => a.AgentId != firstStage.AgentId), a => Assert.Single(a.Directives));
        var audit = await second.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "campaign.complete" && e.GetProperty("target").GetString() == id);
    }
}
