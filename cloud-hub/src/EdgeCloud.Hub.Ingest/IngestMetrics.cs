using System.Diagnostics.Metrics;
using EdgeCloud.Hub.Ingest.Connections;

namespace EdgeCloud.Hub.Ingest;

/// <summary>Counters of the ingest path (meter <see cref="MeterName"/>).</summary>
internal sealed class IngestMetrics
{
    public const string MeterName = "EdgeCloud.Hub.Ingest";

    private readonly Counter<long> _batches;
    private readonly Counter<long> _points;
    private readonly Counter<long> _gaps;
    private readonly Counter<long> _refusals;
    private readonly Histogram<double> _storeTime;
    private readonly Histogram<double> _lag;

    public IngestMetrics(IMeterFactory meters, ConnectionRegistry registry)
    {
        var meter = meters.Create(MeterName);
        _batches = meter.CreateCounter<long>("edgecloud.hub.ingest.batches", "{batch}", "Batches received, by outcome (stored, duplicate)");
        _points = meter.CreateCounter<long>("edgecloud.hub.ingest.points", "{point}", "Points stored");
        _gaps = meter.CreateCounter<long>("edgecloud.hub.ingest.gaps", "{gap}", "Sequence gaps detected");
        _refusals = meter.CreateCounter<long>("edgecloud.hub.ingest.refusals", "{stream}", "Streams refused, by status code");
        meter.CreateObservableGauge("edgecloud.hub.agents.connected", () => registry.Count, "{agent}", "Agents with an open sync stream");
        _storeTime = meter.CreateHistogram<double>("edgecloud.hub.ingest.store.duration", "s", "Time to store one batch durably (validation excluded)");

        // Backfill after an outage legitimately lags by hours: buckets reach a day.
        _lag = meter.CreateHistogram<double>(
            "edgecloud.hub.ingest.lag", "s", "From a batch sealed on the agent (agent clock) to stored at the hub; clock_synchronized tells whether that clock is trusted",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400] });
    }

    public void BatchStored(int points)
    {
        _batches.Add(1, new KeyValuePair<string, object?>("outcome", "stored"));
        _points.Add(points);
    }

    public void BatchDuplicate() => _batches.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));

    public void GapDetected() => _gaps.Add(1);

    public void Refused(Grpc.Core.StatusCode code) => _refusals.Add(1, new KeyValuePair<string, object?>("code", code.ToString()));

    public void Stored(TimeSpan storeTime, DateTimeOffset storedAt, ulong sealedUnixNano, bool clockSynchronized)
    {
        _storeTime.Record(storeTime.TotalSeconds);
        if (sealedUnixNano > 0)
        {
            // A skewed agent clock can put the seal after the store: count that as no lag, not as negative time.
            var lag = (storedAt - DateTimeOffset.UnixEpoch).TotalSeconds - (sealedUnixNano / 1e9);
            _lag.Record(Math.Max(0, lag), new KeyValuePair<string, object?>("clock_synchronized", clockSynchronized ? "true" : "false"));
        }
    }
}
