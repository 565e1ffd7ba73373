using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Sync;
using EdgeCloud.Edge.Time;

namespace EdgeCloud.Edge.Agent.Status;

/// <summary>
/// The agent's state as observable instruments (meter <see cref="MeterName"/>), read at scrape time:
/// outbox depth, bytes and drops, the hub link, the clock, uptime. Nothing is recorded between scrapes.
/// </summary>
internal sealed class AgentMetrics
{
    public const string MeterName = "EdgeCloud.Edge.Agent";

    public AgentMetrics(IMeterFactory meters, IOutbox outbox, SyncStatus sync, IClockStatus clock, TimeProvider time)
    {
        var meter = meters.Create(MeterName);
        var started = time.GetTimestamp();
        meter.CreateObservableGauge("edge_outbox_batches", () => outbox.GetStats().Batches, "{batch}", "Batches stored and not yet acknowledged by the hub (the backlog)");
        meter.CreateObservableGauge("edge_outbox_points", () => outbox.GetStats().Points, "{point}", "Points in the backlog");
        meter.CreateObservableGauge("edge_outbox_disk", () => { var s = outbox.GetStats(); return s.JournalBytes + s.StoreBytes + s.SetAsideBytes; }, "By", "Bytes the outbox holds on disk (journal, store and a damaged store kept for inspection)");
        meter.CreateObservableCounter("edge_outbox_store_set_asides", () => outbox.GetStats().StoreSetAsides, "{store}", "Times the store was found damaged, set aside and rebuilt from the journal since start");
        meter.CreateObservableCounter("edge_outbox_dropped_points", () => outbox.GetStats().DroppedPoints, "{point}", "Points the disk budget dropped since start");
        meter.CreateObservableCounter("edge_outbox_dropped_batches", () => outbox.GetStats().DroppedBatches, "{batch}", "Batches the disk budget dropped since start");
        meter.CreateObservableGauge("edge_outbox_durable_sequence", () => (double)outbox.LastDurableSequence, "{sequence}", "Highest durable sequence");
        meter.CreateObservableGauge("edge_sync_acknowledged_sequence", () => (double)outbox.LastAcknowledgedSequence, "{sequence}", "Highest sequence the hub acknowledged");
        meter.CreateObservableGauge("edge_sync_connected", () => sync.Current.Connected ? 1 : 0, null, "1 while a session with the hub is open");
        meter.CreateObservableCounter("edge_sync_batches_sent", () => sync.Current.BatchesSent, "{batch}", "Batches written to the hub stream since start");
        meter.CreateObservableGauge("edge_clock_synchronized", () => clock.IsSynchronized ? 1 : 0, null, "1 when the kernel reports the clock synchronized");
        meter.CreateObservableGauge("edge_agent_uptime", () => time.GetElapsedTime(started).TotalSeconds, "s", "Seconds since the agent started");
    }
}
