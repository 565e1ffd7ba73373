using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Storage.Retention;
using EdgeCloud.Hub.Storage.Rollups;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Tests.Storage;

/// <summary>Retention per agent (tenant and label policies), the same on every backend.</summary>
public abstract partial class TelemetryStoreBehaviourTests
{
    [Fact]
    public async Task DeleteExpiredAsync_OneAgent_LeavesOtherAgentsOldRowsInEveryTier()
    {
        foreach (var agent in new[] { "agent-a", "agent-b" })
        {
            await Store.IngestAsync(agent, Batches.Create(1, Batches.Number(Tag, Hour0, 1), Batches.Number(Tag, Hour0 + (2 * Day), 2)), Now);
        }

        var cutoff = Hour0 + Day;
        Assert.Equal(1, await Retention.DeleteExpiredAsync(RetentionTier.Raw, "agent-a", cutoff, 10));
        Assert.Equal(1, await Retention.DeleteExpiredAsync(RetentionTier.OneMinute, "agent-a", cutoff, 10));
        Assert.Equal(1, await Retention.DeleteExpiredAsync(RetentionTier.OneHour, "agent-a", cutoff, 10));
        Assert.Equal(0, await Retention.DeleteExpiredAsync(RetentionTier.Raw, "agent-a", cutoff, 10));

        Assert.Equal([2.0], (await Store.QueryPointsAsync("agent-a", Tag, 0, long.MaxValue, 10)).Select(p => (double)p.Value!));
        Assert.Equal([1.0, 2.0], (await Store.QueryPointsAsync("agent-b", Tag, 0, long.MaxValue, 10)).Select(p => (double)p.Value!));
        Assert.Single(await Rollups.QueryRollupsAsync("agent-a", Tag, RollupResolution.OneMinute, 0, long.MaxValue, 10));
        Assert.Equal(2, (await Rollups.QueryRollupsAsync("agent-b", Tag, RollupResolution.OneHour, 0, long.MaxValue, 10)).Count);
    }

    [Fact]
    public async Task RunPassAsync_BerlinAgentRawOneDay_LosesOldRawPointsWhileDefaultAgentKeepsThem_IngestRunsMeanwhile()
    {
        // Points five days old (40 each, in twenty batches: SQLite keeps a batch's points of a tag as one block
        // and deletes whole blocks, so the pass must have several blocks to step through too) and one fresh point,
        // for the Berlin agent and the default one.
        var now = TimeProvider.System.GetUtcNow();
        var old = UnixNanos.From(now.AddDays(-5));
        var fresh = UnixNanos.From(now.AddMinutes(-1));
        const ulong OldBatches = 20;
        foreach (var agent in new[] { "berlin-1", "plain-1" })
        {
            for (ulong seq = 1; seq <= OldBatches; seq++)
            {
                await Store.IngestAsync(agent, Batches.Numbers(seq, Tag, old + ((long)seq * 10 * Second), 2), Now);
            }

            await Store.IngestAsync(agent, Batches.Create(OldBatches + 1, Batches.Number(Tag, fresh, 99)), Now);
        }

        // Small steps with a pause between them: the pass takes several steps, and ingest goes on in between.
        var options = Options.Create(new RetentionOptions { RawDays = 30, MinuteDays = 0, HourDays = 0, BatchSize = 4, PauseBetweenBatches = TimeSpan.FromMilliseconds(30) });
        var policies = new FixedPolicies(new() { ["berlin-1"] = new RetentionTiers(1, 0, 0) });
        var service = new RetentionService(Retention, options, TimeProvider.System, NullLogger<RetentionService>.Instance, Store, policies);

        // On the thread pool, so the pass's continuations never wait for this test's loop.
        var pass = Task.Run(() => service.RunPassAsync(CancellationToken.None));
        var ingestedDuringPass = 0;
        var sequence = OldBatches + 1;
        while (!pass.IsCompleted)
        {
            var result = await Store.IngestAsync("plain-1", Batches.Create(++sequence, Batches.Number(Tag, fresh + (long)sequence, sequence)), Now);
            Assert.Equal(IngestOutcome.Stored, result.Outcome);
            if (!pass.IsCompleted)
            {
                ingestedDuringPass++;
            }

            await Task.Delay(5);
        }

        var deleted = await pass;

        Assert.True(ingestedDuringPass > 0, "no batch was stored while the pass ran");
        Assert.Equal((40L, 0L, 0L), (deleted[RetentionTier.Raw], deleted[RetentionTier.OneMinute], deleted[RetentionTier.OneHour]));
        Assert.Equal([99.0], (await Store.QueryPointsAsync("berlin-1", Tag, 0, long.MaxValue, 1000)).Select(p => (double)p.Value!));
        Assert.Equal(41 + (int)(sequence - (OldBatches + 1)), (await Store.QueryPointsAsync("plain-1", Tag, 0, long.MaxValue, 1000)).Count);
        Assert.Equal(sequence, await Store.GetHighestSequenceAsync("plain-1"));
    }

    /// <summary>
    /// Stands in for the fleet registry's resolver (Hub.Fleet's FleetRetentionPolicies, tested through a real hub in
    /// Hub.Fleet.Tests): here storage alone is under test. Agents it does not name get the defaults, as the real one does.
    /// </summary>
    private sealed class FixedPolicies(Dictionary<string, RetentionTiers> tiers) : IAgentRetentionPolicies
    {
        public ValueTask<IReadOnlyDictionary<string, RetentionTiers>> ResolveAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, RetentionTiers>>(agentIds.Where(tiers.ContainsKey).ToDictionary(id => id, id => tiers[id]));
    }
}
