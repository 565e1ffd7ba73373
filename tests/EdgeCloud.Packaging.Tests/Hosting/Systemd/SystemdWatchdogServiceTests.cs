using EdgeCloud.Edge.Agent.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Packaging.Tests.Hosting.Systemd;

/// <summary>The watchdog service against a real notify socket, with the progress it reads faked.</summary>
public sealed class SystemdWatchdogServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200); // pings every 100 ms
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Execute_PipelineMovesThenWedgesThenResumes_PingsFollowProgress()
    {
        using var listener = NotifyListener.Abstract();
        var progress = new FakePipelineProgress();
        using var service = Create(listener, progress);
        await service.StartAsync(CancellationToken.None);
        var seen = new List<string>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                await listener.WaitForAsync(m => m.StartsWith("WATCHDOG=1\nSTATUS=running, durable up to sequence ", StringComparison.Ordinal), Patience, seen);
            }

            progress.Wedge();
            await listener.WaitForAsync(m => m.StartsWith("STATUS=pipeline stalled", StringComparison.Ordinal), Patience, seen);
            // Five more ticks: every one reports the stall and none pings.
            for (var i = 0; i < 5; i++)
            {
                var message = await listener.ReceiveAsync(Patience);
                Assert.NotNull(message);
                Assert.StartsWith("STATUS=pipeline stalled", message, StringComparison.Ordinal);
                Assert.DoesNotContain("WATCHDOG=1", message, StringComparison.Ordinal);
            }

            progress.Resume();
            await listener.WaitForAsync(m => m.StartsWith("WATCHDOG=1\n", StringComparison.Ordinal), Patience, seen);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Execute_NoDevicesConfigured_PingsWithoutProgress()
    {
        using var listener = NotifyListener.OnPath();
        var progress = new FakePipelineProgress(expectsPoints: false);
        progress.Wedge();
        using var service = Create(listener, progress);
        await service.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal("WATCHDOG=1\nSTATUS=running, no devices configured", await listener.ReceiveAsync(Patience));
            }
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(1_000_000, 1_500_000)] // a slow device: its latency plus half a ping interval
    [InlineData(100_000, 1_000_000)] // fast devices: one ping interval
    public void StallWindow_LongestOfPingIntervalAndDeviceLatency(int latencyUs, int expectedUs)
    {
        var settings = new WatchdogSettings(TimeSpan.FromSeconds(2));
        using var socket = new NotifySocket("@unused");
        using var service = new SystemdWatchdogService(socket, settings, new FixedLatency(TimeSpan.FromMicroseconds(latencyUs)), TimeProvider.System, NullLogger<SystemdWatchdogService>.Instance);

        Assert.Equal(TimeSpan.FromMicroseconds(expectedUs), service.StallWindow);
    }

    private static SystemdWatchdogService Create(NotifyListener listener, IPipelineProgress progress) =>
        new(new NotifySocket(listener.Address), new WatchdogSettings(Timeout), progress, TimeProvider.System, NullLogger<SystemdWatchdogService>.Instance);

    /// <summary>A pipeline whose slowest device needs <paramref name="latency"/> to show progress.</summary>
    private sealed class FixedLatency(TimeSpan latency) : IPipelineProgress
    {
        public ulong Mark => 0;

        public bool ExpectsPoints => true;

        public TimeSpan ExpectedLatency => latency;
    }
}
