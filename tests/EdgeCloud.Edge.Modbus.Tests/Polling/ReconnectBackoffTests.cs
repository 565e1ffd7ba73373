using EdgeCloud.Edge.Modbus.Polling;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Next_FullJitterAtTop_DoublesFromHalfASecondUpToTheCap()
    {
        var backoff = new ReconnectBackoff(() => 1.0);

        var delays = Enumerable.Range(0, 9).Select(_ => backoff.Next().TotalSeconds).ToArray();

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void Next_JitterDrawn_ScalesTheCeiling()
    {
        var draws = new Queue<double>([0.0, 0.5, 0.25]);
        var backoff = new ReconnectBackoff(draws.Dequeue);

        Assert.Equal(TimeSpan.Zero, backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(0.5), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(0.5), backoff.Next());
    }

    [Fact]
    public void Next_DefaultRandom_StaysWithinTheCeiling()
    {
        var backoff = new ReconnectBackoff();
        for (var i = 0; i < 50; i++)
        {
            var ceiling = backoff.NextCeiling();
            Assert.InRange(backoff.Next(), TimeSpan.Zero, ceiling);
        }
    }

    [Fact]
    public void Reset_AfterFailures_StartsOverAtBase()
    {
        var backoff = new ReconnectBackoff(() => 1.0);
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(ReconnectBackoff.Base, backoff.Next());
    }
}
