using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Hosting;
using EdgeCloud.Edge.OpcUa.Security;
using EdgeCloud.Edge.OpcUa.Tests.Fakes;
using EdgeCloud.Edge.OpcUa.Tests.Peers;
using EdgeCloud.Edge.OpcUa.Transport;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.OpcUa.Tests.Hosting;

/// <summary>The device loop against node-opcua: data flows, and comes back after link cuts and server restarts with the same monitored items.</summary>
[Collection(NodeOpcuaCollection.Name)]
public sealed class OpcUaDeviceRunnerTests(NodeOpcuaFixture fixture)
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(1);

    internal static OpcUaDeviceConfig Device(string endpoint) => new(
        "plc1", endpoint, "None", OpcUaSecurityMode.None, null, null, false, false, TimeSpan.FromMilliseconds(100), SessionTimeout,
        [
            Tag("counter", "nsu=urn:edgecloud:test;s=Counter", null),
            Tag("temperature", null, "2:Plant/2:Temperature"),
            Tag("status", "ns=2;s=Status", null),
            Tag("missing", null, "2:Plant/2:NoSuchNode"),
            Tag("foreign", "nsu=urn:not-on-this-server;s=Counter", null),
        ]);

    private static OpcUaTagConfig Tag(string name, string? nodeId, string? path) =>
        new(name, nodeId, path, TimeSpan.FromMilliseconds(50), 10, OpcUaDeadband.None, 0, OpcUaTrigger.StatusValue, null);

    internal static OpcUaSourceOptions FastOptions(string pki) => new()
    {
        PkiFolder = pki,
        ReconnectBase = TimeSpan.FromMilliseconds(50),
        ReconnectCap = TimeSpan.FromMilliseconds(400),
        MaxKeepAliveCount = 3,
        Channel = new UaChannelOptions { RequestTimeout = TimeSpan.FromSeconds(3) },
    };

    private static OpcUaDeviceRunner Runner(OpcUaDeviceConfig device, CollectingPointSink sink) =>
        new(device, FastOptions(Path.GetTempPath()), _ => ValueTask.FromResult<ChannelSecurity>(new NoneSecurity()), sink, TimeProvider.System, NullLogger.Instance);

    /// <summary>Waits until every subscribed tag delivered a good point after <paramref name="mark"/> points.</summary>
    private static async Task WaitForFreshDataAsync(CollectingPointSink sink, int mark, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var fresh = sink.Points.Skip(mark).Where(p => p.Quality == PointQuality.Good).Select(p => p.Tag).ToHashSet();
            if (fresh.SetEquals(["counter", "temperature", "status"]))
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("no fresh data " + because);
    }

    [Fact]
    public async Task RunAsync_Subscribed_PublishesGoodPointsAndBadConfigurationForUnresolvedPathAndNamespace()
    {
        var server = fixture.Server;
        var sink = new CollectingPointSink();
        var runner = Runner(Device(server.EndpointUrl), sink);
        using var stop = new CancellationTokenSource();
        var run = runner.RunAsync(stop.Token);

        await WaitForFreshDataAsync(sink, 0, "after the first connect");
        await stop.CancelAsync();
        await run;

        Assert.Equal(3, runner.MonitoredItemCount);
        var missing = sink.Points.First(p => p.Tag == "missing");
        Assert.Equal(PointQuality.BadConfiguration, missing.Quality);
        Assert.Equal(StatusCodes.BadNoMatch, missing.StatusDetail & 0xFFFF0000);
        var foreign = sink.Points.First(p => p.Tag == "foreign");
        Assert.Equal(PointQuality.BadConfiguration, foreign.Quality);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, foreign.StatusDetail & 0xFFFF0000);
        var counter = sink.Points.First(p => p.Tag == "counter");
        Assert.Equal(TagValueKind.Integer, counter.Value.Kind);
        Assert.Equal("plc1", counter.Device);
    }

    [Fact]
    public async Task RunAsync_LinkCutShorterAndLongerThanSessionTimeout_ResumesWithSameItems20Times()
    {
        var server = fixture.Server;
        await using var relay = new TcpRelay(server.Port);
        var sink = new CollectingPointSink();
        var runner = Runner(Device($"opc.tcp://localhost:{relay.Port}/UA/EdgeCloudTest"), sink);
        using var stop = new CancellationTokenSource();
        var run = runner.RunAsync(stop.Token);
        await WaitForFreshDataAsync(sink, 0, "after the first connect");

        for (var cycle = 0; cycle < 20; cycle++)
        {
            var longCut = cycle % 2 == 1;
            relay.Cut();
            await Task.Delay(longCut ? SessionTimeout * 2 : SessionTimeout * 0.3);
            Assert.Contains(sink.Points, p => p.Quality.IsBad() && p.Tag == "counter");
            var mark = sink.Points.Count;
            relay.Restore();

            await WaitForFreshDataAsync(sink, mark, $"after cycle {cycle} ({(longCut ? "longer" : "shorter")} than the session timeout)");
            Assert.Equal(3, runner.MonitoredItemCount);
        }

        await stop.CancelAsync();
        await run;
        Assert.True(runner.Reactivations >= 5, $"{runner.Reactivations} sessions re-activated after short cuts");
        Assert.True(runner.SessionsCreated >= 6, $"{runner.SessionsCreated} sessions created after long cuts");
    }

    [Fact]
    public async Task RunAsync_ServerProcessKilledAndRestarted20Times_RecreatesSessionAndItemsEachTime()
    {
        await using var server = await NodeOpcuaServer.StartAsync();
        var sink = new CollectingPointSink();
        var runner = Runner(Device(server.EndpointUrl), sink);
        using var stop = new CancellationTokenSource();
        var run = runner.RunAsync(stop.Token);
        await WaitForFreshDataAsync(sink, 0, "after the first connect");

        const int cycles = 20;
        for (var cycle = 0; cycle < cycles; cycle++)
        {
            // Every fourth outage outlasts the session timeout; the others are as short as a restart allows.
            var longOutage = cycle % 4 == 3;
            var beforeKill = sink.Points.Count;
            var sessionsBefore = runner.SessionsCreated;
            await server.StopAsync();
            await Task.Delay(longOutage ? SessionTimeout * 2 : TimeSpan.FromMilliseconds(50));
            var mark = sink.Points.Count;
            await server.RestartAsync();

            await WaitForFreshDataAsync(sink, mark, $"after restart {cycle} ({(longOutage ? "longer" : "shorter")} than the session timeout)");
            Assert.Equal(3, runner.MonitoredItemCount);
            Assert.Contains(sink.Points.Skip(beforeKill), p => p.Tag == "counter" && p.Quality is PointQuality.BadNotConnected or PointQuality.BadCommunication);

            // The restarted server knows no session: data can only flow again on a new one. (More than
            // one when a create or subscribe timed out on a starved machine and was tried again.)
            Assert.True(runner.SessionsCreated > sessionsBefore, $"no new session after restart {cycle}");
        }

        await stop.CancelAsync();
        await run;
        Assert.True(runner.SessionsCreated >= cycles + 1, $"{runner.SessionsCreated} sessions for {cycles} restarts");
    }
}
