using EdgeCloud.Edge.Sync;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Tests.Sync;

public sealed class BacklogPacerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task TakeAsync_OneSecondOfBurstThenTheRate()
    {
        var clock = new FakeTimeProvider();
        var pacer = new BacklogPacer(1000, clock);

        // One second's worth goes at once.
        Assert.True(pacer.TakeAsync(600, None).AsTask().IsCompleted);
        Assert.True(pacer.TakeAsync(400, None).AsTask().IsCompleted);

        // The next 500 bytes wait half a second, not less.
        var next = pacer.TakeAsync(500, None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task TakeAsync_OverTenSeconds_SendsTheRateTimesTheTimePlusOneBurst()
    {
        var clock = new FakeTimeProvider();
        var pacer = new BacklogPacer(10_000, clock);
        var sent = 0L;
        var stop = clock.GetUtcNow().AddSeconds(10);

        // A sender with 3 KiB batches always waiting, as a draining backlog is.
        while (clock.GetUtcNow() < stop)
        {
            var take = pacer.TakeAsync(3072, None).AsTask();
            while (!take.IsCompleted)
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
            }

            await take;
            sent += 3072;
        }

        // 10 s at 10,000 B/s plus the first second's burst, within one batch.
        Assert.InRange(sent, 110_000 - 3072, 110_000 + 3072);
    }

    [Fact]
    public async Task TakeAsync_IdleTime_IsNotSavedBeyondOneSecond()
    {
        var clock = new FakeTimeProvider();
        var pacer = new BacklogPacer(1000, clock);
        await pacer.TakeAsync(1000, None);

        // An hour of nothing earns one second, not an hour.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(pacer.TakeAsync(1000, None).AsTask().IsCompleted);
        Assert.False(pacer.TakeAsync(1, None).AsTask().IsCompleted);
    }
}
