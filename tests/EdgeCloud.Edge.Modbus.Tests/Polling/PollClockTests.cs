using EdgeCloud.Edge.Modbus.Polling;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

/// <summary>The clock pollers of one interval share: one timer, PeriodicTimer's catch-up rule per poller.</summary>
public sealed class PollClockTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Tick_TwoWaitingPollers_BothStartOnTheSameTick()
    {
        var time = new FakeTimeProvider();
        using var clock = new PollClock(Interval, time);
        var first = clock.Follow().WaitForNextTickAsync().AsTask();
        var second = clock.Follow().WaitForNextTickAsync().AsTask();

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(first.IsCompleted || second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await first);
        Assert.True(await second);
    }

    [Fact]
    public async Task WaitForNextTick_TicksMissedWhileBusy_ReturnsAtOnceOnceThenWaits()
    {
        var time = new FakeTimeProvider();
        using var clock = new PollClock(Interval, time);
        var poller = clock.Follow();

        // A poll that took three intervals: one catch-up poll at once, not three.
        time.Advance(Interval * 3);
        var caughtUp = poller.WaitForNextTickAsync();
        Assert.True(caughtUp.IsCompletedSuccessfully);
        Assert.True(await caughtUp);
        var next = poller.WaitForNextTickAsync().AsTask();
        Assert.False(next.IsCompleted);

        time.Advance(Interval);
        Assert.True(await next);
    }

    [Fact]
    public async Task Dispose_WaitingAndLaterWaits_ReturnFalse()
    {
        var time = new FakeTimeProvider();
        var clock = new PollClock(Interval, time);
        var poller = clock.Follow();
        var waiting = poller.WaitForNextTickAsync().AsTask();

        clock.Dispose();

        Assert.False(await waiting);
        Assert.False(await poller.WaitForNextTickAsync());
        time.Advance(Interval * 2);
        Assert.False(await clock.Follow().WaitForNextTickAsync());
    }
}
