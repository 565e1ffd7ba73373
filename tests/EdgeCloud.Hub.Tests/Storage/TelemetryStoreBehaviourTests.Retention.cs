using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>Retention, the same on every backend: bounded steps, only what is old, each tier by its own limit.</summary>
public abstract partial class TelemetryStoreBehaviourTests
{
    private const long Day = 24 * 3600 * Second;

    private ITelemetryRetention Retention => (ITelemetryRetention)Store;

    [Fact]
    public async Task DeleteExpiredAsync_Raw_DeletesOnlyOlderPointsAtMostMaxRowsPerCall()
    {
        // Two series, five points each, one second apart; the cutoff keeps the last two of each.
        for (ulong seq = 1; seq <= 5; seq++)
        {
            var t = Hour0 + ((long)seq * Second);
            await Store.IngestAsync(Agent, Batches.Create(seq, Batches.Number(Tag, t, seq), Batches.Number("plc1/pressure", t, seq)), Now);
        }

        var cutoff = Hour0 + (4 * Second);
        var steps = new List<int>();
        int step;
        do
        {
            step = await Retention.DeleteExpiredAsync(RetentionTier.Raw, cutoff, 4);
            steps.Add(step);
        }
        while (step > 0);

        Assert.Equal([4, 2, 0], steps);
        Assert.Equal([4.0, 5.0], (await Query()).Select(p => (double)p.Value!));
        Assert.Equal(2, (await Store.QueryPointsAsync(Agent, "plc1/pressure", 0, long.MaxValue, 10)).Count);

        // Rollups are another tier: untouched.
        Assert.Equal(5, Assert.Single(await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneMinute, 0, long.MaxValue, 10)).Count);
    }

    [Fact]
    public async Task RunPassAsync_FakeClock_EachTierKeptForItsOwnDays()
    {
        // One point per day for ten days, then the clock is at day 10: raw keeps 2 days, 1-minute 5, 1-hour forever.
        for (ulong seq = 1; seq <= 10; seq++)
        {
            await Store.IngestAsync(Agent, Batches.Create(seq, Batches.Number(Tag, Hour0 + ((long)(seq - 1) * Day), seq)), Now);
        }

        var clock = new FakeTimeProvider(UnixNanos.ToDateTimeOffset(Hour0 + (10 * Day)));
        var options = Options.Create(new RetentionOptions { RawDays = 2, MinuteDays = 5, HourDays = 0, BatchSize = 3, PauseBetweenBatches = TimeSpan.Zero });
        var service = new RetentionService(Retention, options, clock, NullLogger<RetentionService>.Instance);

        var deleted = await service.RunPassAsync(CancellationToken.None);

        Assert.Equal((8L, 5L, 0L), (deleted[RetentionTier.Raw], deleted[RetentionTier.OneMinute], deleted[RetentionTier.OneHour]));
        Assert.Equal([9.0, 10.0], (await Query()).Select(p => (double)p.Value!));
        Assert.Equal(5, (await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneMinute, 0, long.MaxValue, 100)).Count);
        Assert.Equal(10, (await Rollups.QueryRollupsAsync(Agent, Tag, RollupResolution.OneHour, 0, long.MaxValue, 100)).Count);

        // A second pass finds nothing more.
        Assert.All((await service.RunPassAsync(CancellationToken.None)).Values, n => Assert.Equal(0L, n));
    }
}
