using EdgeCloud.Edge.Modbus.Rtu;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.Modbus.Tests.Rtu;

public sealed class SlaveQuarantineTests
{
    [Fact]
    public void TimedOut_ThreeInARow_QuarantinedForTheFirstBackoff()
    {
        var time = new FakeTimeProvider();
        var quarantine = new SlaveQuarantine(time, () => 0.999999);

        Assert.False(quarantine.TimedOut());
        Assert.False(quarantine.TimedOut());
        Assert.False(quarantine.IsQuarantined(out _));
        Assert.True(quarantine.TimedOut());

        Assert.True(quarantine.IsQuarantined(out var remaining));
        Assert.InRange(remaining.TotalMilliseconds, 499, 500);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(quarantine.IsQuarantined(out _));
    }

    [Fact]
    public void TimedOut_ProbeTimesOutAgain_QuarantineDoublesUpToTheCap()
    {
        var time = new FakeTimeProvider();
        var quarantine = new SlaveQuarantine(time, () => 0.0);
        var lengths = new List<double>();

        for (var i = 0; i < SlaveQuarantine.Threshold - 1; i++)
        {
            quarantine.TimedOut();
        }

        for (var probe = 0; probe < 10; probe++)
        {
            Assert.True(quarantine.TimedOut());
            quarantine.IsQuarantined(out var remaining);
            lengths.Add(remaining.TotalSeconds);
            time.Advance(remaining);
        }

        // Jitter pinned at the bottom: half of 0.5, 1, 2, 4, 8, 16, 30, 30 ... seconds.
        Assert.Equal([0.25, 0.5, 1, 2, 4, 8, 15, 15, 15, 15], lengths);
    }

    [Fact]
    public void Answered_WhileCounting_ResetsTheCountAndTheBackoff()
    {
        var time = new FakeTimeProvider();
        var quarantine = new SlaveQuarantine(time, () => 0.0);
        quarantine.TimedOut();
        quarantine.TimedOut();
        quarantine.TimedOut();
        time.Advance(TimeSpan.FromSeconds(1));

        quarantine.Answered();
        quarantine.TimedOut();
        quarantine.TimedOut();

        Assert.False(quarantine.IsQuarantined(out _));
        Assert.True(quarantine.TimedOut());
        quarantine.IsQuarantined(out var remaining);
        Assert.Equal(0.25, remaining.TotalSeconds);
    }
}
