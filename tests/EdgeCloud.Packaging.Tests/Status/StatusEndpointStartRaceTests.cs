using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Modbus.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeCloud.Packaging.Tests.Status;

/// <summary>
/// The status endpoint's start against the runtime listener's race (dotnet/corefx#35191): a client that connects
/// while <see cref="HttpListener.Start"/> sets the listener up makes Start throw <see cref="ArgumentNullException"/>
/// (its accept callback runs before its connection table exists). The endpoint starts again with a fresh listener.
/// The race is imitated through the service's start seam (deterministic), and met for real under a connect flood.
/// </summary>
public sealed class StatusEndpointStartRaceTests(ITestOutputHelper output)
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

    /// <summary>
    /// The real race: two threads connect to the port and hang up in a loop while the endpoint is started (the real
    /// <see cref="HttpListener.Start"/>) and stopped again, until a start raced or the time budget ran out. In a
    /// scratch loop of bare listener starts under the same flood about one start in a thousand raced (1-10 in 5000).
    /// Whether or not it raced this time, every start must come up; a start that raced must then serve /healthz.
    /// </summary>
    [Fact]
    public async Task Start_UnderAConnectFlood_EveryStartComesUpAndOneThatRacedServesHealthz()
    {
        using var logs = new CollectingLoggerProvider();
        using var listening = new ListeningSignal();
        await using var harness = new StatusEndpointHarness(null, logs, listening);
        using var flood = new ConnectFlood(harness.Port, threads: 2);
        var budget = Stopwatch.StartNew();
        var starts = 0;
        while (budget.Elapsed < TimeSpan.FromSeconds(8) && logs.Count(RaceEvent) == 0)
        {
            using var service = harness.NewService();
            await service.StartAsync(CancellationToken.None);
            starts++;
            Assert.True(await listening.WaitAsync(TimeSpan.FromSeconds(10)), $"start {starts} never listened: {string.Join(" | ", logs.Messages(CannotListenEvent))}");
            if (logs.Count(RaceEvent) > 0)
            {
                using var response = await harness.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await service.StopAsync(CancellationToken.None);
        }

        output.WriteLine($"{starts} starts under the flood in {budget.Elapsed.TotalSeconds:0.0} s, {logs.Count(RaceEvent)} raced, {flood.Connects} connects");
        Assert.Equal(0, logs.Count(CannotListenEvent));
        Assert.Equal(starts, logs.Count(ListeningEvent));
        Assert.True(flood.Connects > starts, $"the flood connected only {flood.Connects} times over {starts} starts");
    }

    /// <summary>What the race throws: Monitor.Enter(obj) on the connection table that is not made yet.</summary>
#pragma warning disable CA2208 // the parameter named is the runtime's, inside HttpEndPointListener.ProcessAccept
    private static ArgumentNullException ImitatedRace() => new("obj", "imitated listener start race");
#pragma warning restore CA2208

    /// <summary>Released once per "Status endpoint on ..." log event: a start that came up, awaited without polling.</summary>
    private sealed class ListeningSignal : ILoggerProvider, ILogger
    {
        private readonly SemaphoreSlim _listening = new(0);

        public Task<bool> WaitAsync(TimeSpan timeout) => _listening.WaitAsync(timeout);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == ListeningEvent)
            {
                _listening.Release();
            }
        }

        public void Dispose() => _listening.Dispose();
    }

    /// <summary>Clients that connect to a loopback port and hang up at once, as fast as they can, until disposed.</summary>
    private sealed class ConnectFlood : IDisposable
    {
        private readonly List<Thread> _threads;
        private volatile bool _stop;
        private long _connects;

        public ConnectFlood(int port, int threads)
        {
            _threads = [.. Enumerable.Range(0, threads).Select(_ => new Thread(() => Run(port)) { IsBackground = true, Name = "connect flood" })];
            _threads.ForEach(thread => thread.Start());
        }

        public long Connects => Interlocked.Read(ref _connects);

        public void Dispose()
        {
            _stop = true;
            _threads.ForEach(thread => thread.Join());
        }

        private void Run(int port)
        {
            while (!_stop)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Connect(IPAddress.Loopback, port);
                    Interlocked.Increment(ref _connects);
                }
                catch (SocketException)
                {
                    // Nothing listens between two starts.
                }
            }
        }
    }
}
