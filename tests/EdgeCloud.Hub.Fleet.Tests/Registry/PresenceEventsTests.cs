using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Tests.TestSupport;

namespace EdgeCloud.Hub.Fleet.Tests.Registry;

/// <summary>Online state pushed live to an API client as server-sent events, for the caller's tenant only.</summary>
public sealed class PresenceEventsTests
{
    [Fact]
    public async Task Events_AgentConnectsAndLeaves_PushedLiveOtherTenantsNot()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var other = hub.Client(await hub.CreateUserAsync("tenant-b", "b-admin", "admin"));
        using var foreign = await hub.EnrollAsync("gw-b", other);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await hub.Admin.GetAsync("/api/v1/fleet/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await SseReader.ReadUntilAsync(reader, "\"agentId\":\"gw-1\",\"online\":false", timeout.Token);
        var (channel, call) = await agent.ConnectAsync();
        var (foreignChannel, foreignCall) = await foreign.ConnectAsync();
        await SseReader.ReadUntilAsync(reader, "\"agentId\":\"gw-1\",\"online\":true", timeout.Token);
        call.Dispose();
        channel.Dispose();
        var seen = await SseReader.ReadUntilAsync(reader, "\"agentId\":\"gw-1\",\"online\":false", timeout.Token);
        foreignCall.Dispose();
        foreignChannel.Dispose();

        Assert.DoesNotContain("gw-b", seen, StringComparison.Ordinal);
    }
}
