using EdgeCloud.Edge.Agent.Status;

namespace EdgeCloud.Packaging.Tests.Status;

public sealed class AckProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RatePerSecond_FewerThanTwoSamples_Zero()
    {
        var progress = new AckProgress();
        Assert.Equal(0, progress.RatePerSecond());
        progress.Add(T0, 10);
        Assert.Equal(0, progress.RatePerSecond());
        Assert.Null(progress.LastMovedAt);
    }

    [Fact]
    public void Add_SequenceMoves_RateAndLastMovedAt()
    {
        var progress = new AckProgress();
        progress.Add(T0, 10);
        progress.Add(T0.AddSeconds(1), 12);
        progress.Add(T0.AddSeconds(2), 14);
        progress.Add(T0.AddSeconds(3), 14);

        Assert.Equal(4.0 / 3, progress.RatePerSecond(), precision: 9);
        Assert.Equal(T0.AddSeconds(2), progress.LastMovedAt);
    }

    [Fact]
    public void Add_MoreThanCapacity_RateOverTheLastMinuteOnly()
    {
        var progress = new AckProgress();

        // Fast at first, then one batch a second for a full window: the old burst is forgotten.
        progress.Add(T0, 0);
        progress.Add(T0.AddSeconds(1), 1000);
        for (var i = 1; i <= AckProgress.Capacity; i++)
        {
            progress.Add(T0.AddSeconds(1 + i), (ulong)(1000 + i));
        }

        Assert.Equal(1.0, progress.RatePerSecond(), precision: 9);
    }
}
