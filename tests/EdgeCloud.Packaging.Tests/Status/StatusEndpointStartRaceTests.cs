using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Modbus.Tests.Support;

namespace EdgeCloud.Packaging.Tests.Status;

/// <summary>
/// The status endpoint's start against the runtime listener's race (dotnet/corefx#35191): a client that connects
/// while <see cref="HttpListener.Start"/> sets the listener up makes Start throw <see cref="ArgumentNullException"/>
/// (its accept callback runs before its connection table exists). The endpoint starts again with a fresh listener.
/// The race is imitated through the service's start seam: under a real connect flood it shows in about one start
/// in a thousand (bare listener starts in a scratch loop), too seldom for a test of bounded time.
/// </summary>
public sealed class StatusEndpointStartRaceTests
{
    private const int ListeningEvent = 5100;
    private const int CannotListenEvent = 5101;
    private const int RaceEvent = 5105;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Start_ListenerRacesWithAClient_StartsAgainThenServesHealthz(int races)
    {
        using var logs = new CollectingLoggerProvider();
        await using var harness = new StatusEndpointHarness(null, logs);
        var starts = 0;
        using var service = harness.NewService(listener =>
        {
            // Imitates the race as the runtime shows it: the listener has bound its port when Start throws.
            listener.Start();
            if (Interlocked.Increment(ref starts) <= races)
            {
                throw ImitatedRace();
            }
        });

        await service.StartAsync(CancellationToken.None);
        try
        {
            await harness.ListeningAsync();
            using var response = await harness.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
            Assert.Equal(races + 1, starts);
            Assert.Equal(races, logs.Count(RaceEvent));
            Assert.Equal(0, logs.Count(CannotListenEvent));
            Assert.Equal(1, logs.Count(ListeningEvent));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Start_ListenerRacesFiveTimes_GivesUpWithTheReasonAndTheServiceEndsWithoutFailing()
    {
        using var logs = new CollectingLoggerProvider();
        await using var harness = new StatusEndpointHarness(null, logs);
        using var service = harness.NewService(listener =>
        {
            listener.Start(); // bound, then the imitated race, every time
            throw ImitatedRace();
        });

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(20));

        // A faulted service would stop the agent (edge-agent run exits 1): the endpoint is optional, the agent runs on.
        Assert.True(service.ExecuteTask.IsCompletedSuccessfully);
        Assert.Equal(4, logs.Count(RaceEvent));
        var reason = Assert.Single(logs.Messages(CannotListenEvent));
        Assert.Contains("the listener failed to start 5 times (imitated listener start race", reason, StringComparison.Ordinal);
        Assert.Equal(0, logs.Count(ListeningEvent));
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, harness.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode); // every half-started listener was closed
        await service.StopAsync(CancellationToken.None);
    }

    /// <summary>What the race throws: Monitor.Enter(obj) on the connection table that is not made yet.</summary>
#pragma warning disable CA2208 // the parameter named is the runtime's, inside HttpEndPointListener.ProcessAccept
    private static ArgumentNullException ImitatedRace() => new("obj", "imitated listener start race");
#pragma warning restore CA2208
}
