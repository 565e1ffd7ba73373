using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using EdgeCloud.Edge.Metrics;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// The cost of one measurement on the hot path with our Prometheus exporter listening: a tagged
/// counter add (as the Modbus poller makes per poll) and a histogram record (as the hub's store
/// timer makes per batch). Baseline: a bare Interlocked.Increment, the floor of any thread-safe
/// counter on this CPU; and the same add on an instrument whose only listener does nothing, the
/// floor of any exporter built on MeterListener (the runtime's own dispatch). Also one scrape of a
/// small registry, the cost paid every 15 s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MetricsRecordBenchmarks : IDisposable
{
    private readonly Meter _meter = new("EdgeCloud.Benchmarks.Metrics");
    private readonly Meter _plainMeter = new("Benchmarks.NoOp");
    private MeterListener? _noOp;
    private Counter<long>? _plainCounter;
    private PrometheusExporter? _exporter;
    private Counter<long>? _counter;
    private Histogram<double>? _histogram;
    private long _bare;

    [GlobalSetup]
    public void Setup()
    {
        _exporter = new PrometheusExporter(new PrometheusExporterOptions { IncludeRuntime = false });
        _counter = _meter.CreateCounter<long>("bench.polls");
        _histogram = _meter.CreateHistogram<double>("bench.store.duration", "s");
        _plainCounter = _plainMeter.CreateCounter<long>("bench.noop");
        _noOp = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == _plainMeter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _noOp.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _noOp.Start();
        for (var i = 0; i < 20; i++)
        {
            _counter.Add(1, new KeyValuePair<string, object?>("device", "plc" + i), new KeyValuePair<string, object?>("reason", "timeout"));
        }
    }

    [Benchmark(Baseline = true, Description = "Interlocked.Increment (bound)")]
    public long Bare() => Interlocked.Increment(ref _bare);

    [Benchmark(Description = "Counter.Add, 1 tag, no-op listener (floor)")]
    public void NoOpListener() => _plainCounter!.Add(1, new KeyValuePair<string, object?>("device", "plc7"));

    [Benchmark(Description = "Counter.Add, 1 tag")]
    public void CounterOneTag() => _counter!.Add(1, new KeyValuePair<string, object?>("device", "plc7"));

    [Benchmark(Description = "Counter.Add, 2 tags in another order")]
    public void CounterTwoTags() =>
        _counter!.Add(1, new KeyValuePair<string, object?>("reason", "timeout"), new KeyValuePair<string, object?>("device", "plc7"));

    [Benchmark(Description = "Histogram.Record, no tags")]
    public void Histogram() => _histogram!.Record(0.0042);

    [Benchmark(Description = "Collect (scrape of ~25 series)", OperationsPerInvoke = 1)]
    public int Scrape() => _exporter!.Collect().Length;

    public void Dispose()
    {
        _exporter?.Dispose();
        _noOp?.Dispose();
        _meter.Dispose();
        _plainMeter.Dispose();
        GC.SuppressFinalize(this);
    }
}
