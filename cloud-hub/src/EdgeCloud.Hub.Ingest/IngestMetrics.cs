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

    public IngestMetrics(IMeterFactory meters, ConnectionRegistry registry)
    {
        var meter = meters.Create(MeterName);
        _batches = meter.CreateCounter<long>("edgecloud.hub.ingest.batches", "{batch}", "Batches received, by outcome (stored, duplicate)");
        _points = meter.CreateCounter<long>("edgecloud.hub.ingest.points", "{point}", "Points stored");
        _gaps = meter.CreateCounter<long>("edgecloud.hub.ingest.gaps", "{gap}", "Sequence gaps detected");
        _refusals = meter.CreateCounter<long>("edgecloud.hub.ingest.refusals", "{stream}", "Streams refused, by status code");
        meter.CreateObservableGauge("edgecloud.hub.agents.connected", () => registry.Count, "{agent}", "Agents with an open sync stream");
    }

    public void BatchStored(int points)
    {
        _batches.Add(1, new KeyValuePair<string, object?>("outcome", "stored"));
        _points.Add(points);
    }

    public void BatchDuplicate() => _batches.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));

    public void GapDetected() => _gaps.Add(1);

    public void Refused(Grpc.Core.StatusCode code) => _refusals.Add(1, new KeyValuePair<string, object?>("code", code.ToString()));
}
