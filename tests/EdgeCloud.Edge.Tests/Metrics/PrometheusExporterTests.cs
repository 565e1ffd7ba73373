using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Metrics;

namespace EdgeCloud.Edge.Tests.Metrics;

public sealed class PrometheusExporterTests : IDisposable
{
    private readonly object _scope = new();
    private readonly Meter _meter;
    private readonly string _prefix;

    public PrometheusExporterTests()
    {
        // A meter of this test's own: the exporter sees every EdgeCloud.* meter in the process.
        var id = Guid.NewGuid().ToString("N")[..8];
        _prefix = "t" + id;
        _meter = new Meter(new MeterOptions("EdgeCloud.Tests." + id) { Scope = _scope });
    }

    public void Dispose() => _meter.Dispose();

    private PrometheusExporter Exporter(int maxSeries = 1000) =>
        new(new PrometheusExporterOptions { Scope = _scope, IncludeRuntime = false, MaxSeriesPerInstrument = maxSeries });

    [Fact]
    public void Collect_CountersAfterKnownMeasurements_RendersTotalsPerTagSet()
    {
        using var exporter = Exporter();
        var polls = _meter.CreateCounter<long>(_prefix + ".modbus.polls", "{poll}", "Polls of a device");
        var energy = _meter.CreateCounter<double>(_prefix + ".energy", "kWh", "Energy");
        polls.Add(3, new("device", "plc1"), new("site", "a"));
        polls.Add(4, new("site", "a"), new("device", "plc1"));
        polls.Add(5, new("device", "plc2"), new("site", "a"));
        energy.Add(0.25);
        energy.Add(1.5);

        var parsed = PrometheusParser.Parse(exporter.Collect());

        var name = _prefix + "_modbus_polls_total";
        Assert.Equal("counter", parsed.Types[name]);
        Assert.Equal("Polls of a device", parsed.Help[name]);
        Assert.Equal(7, parsed.Value(name, ("device", "plc1"), ("site", "a")));
        Assert.Equal(5, parsed.Value(name, ("device", "plc2")));
        Assert.Equal(2, parsed.Samples.Count(s => s.Name == name));
        Assert.Equal(1.75, parsed.Value(_prefix + "_energy_total"));
    }

    [Fact]
    public async Task Collect_ConcurrentAddsFromManyThreads_LosesNone()
    {
        using var exporter = Exporter();
        var counter = _meter.CreateCounter<long>(_prefix + ".ops");
        var fractions = _meter.CreateCounter<double>(_prefix + ".fractions");
        var latency = _meter.CreateHistogram<double>(_prefix + ".latency", "s");
        const int Threads = 8;
        const int PerThread = 50_000;
        using var start = new Barrier(Threads + 1);
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    counter.Add(1, new KeyValuePair<string, object?>("shard", i % 4));
                    fractions.Add(0.5);
                    latency.Record((i % 10) * 0.001);
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        start.SignalAndWait();

        // Scrapes while writers run must stay parsable and monotonic.
        var lastCount = 0.0;
        while (!workers.All(w => w.IsCompleted))
        {
            var during = PrometheusParser.Parse(exporter.Collect());
            var count = during.Find(_prefix + "_latency_seconds_count") ?? 0;
            Assert.True(count >= lastCount);
            lastCount = count;
        }

        await Task.WhenAll(workers);

        var parsed = PrometheusParser.Parse(exporter.Collect());
        for (var shard = 0; shard < 4; shard++)
        {
            Assert.Equal(Threads * PerThread / 4, parsed.Value(_prefix + "_ops_total", ("shard", shard.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        Assert.Equal(Threads * PerThread * 0.5, parsed.Value(_prefix + "_fractions_total"));
        Assert.Equal(Threads * PerThread, parsed.Value(_prefix + "_latency_seconds_count"));
        Assert.Equal(Threads * PerThread, parsed.Value(_prefix + "_latency_seconds_bucket", ("le", "+Inf")));
    }

    [Fact]
    public void Collect_HistogramWithAdvice_BucketsCumulativeAndMonotonic()
    {
        using var exporter = Exporter();
        var sizes = _meter.CreateHistogram(_prefix + ".size", "By", "Sizes", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5] });
        foreach (var value in new[] { 0.5, 1, 1.5, 3, 10 })
        {
            sizes.Record(value);
        }

        var parsed = PrometheusParser.Parse(exporter.Collect());

        var name = _prefix + "_size_bytes";
        Assert.Equal("histogram", parsed.Types[name]);
        Assert.Equal(2, parsed.Value(name + "_bucket", ("le", "1")));
        Assert.Equal(3, parsed.Value(name + "_bucket", ("le", "2")));
        Assert.Equal(4, parsed.Value(name + "_bucket", ("le", "5")));
        Assert.Equal(5, parsed.Value(name + "_bucket", ("le", "+Inf")));
        Assert.Equal(16, parsed.Value(name + "_sum"));
        Assert.Equal(5, parsed.Value(name + "_count"));
        var buckets = parsed.Samples.Where(s => s.Name == name + "_bucket").Select(s => s.Value).ToList();
        Assert.Equal(buckets.Order(), buckets);
    }

    [Fact]
    public void Collect_HistogramInSecondsWithoutAdvice_UsesLatencyBuckets()
    {
        using var exporter = Exporter();
        _meter.CreateHistogram<double>(_prefix + ".store.duration", "s").Record(0.003);

        var parsed = PrometheusParser.Parse(exporter.Collect());

        Assert.Equal(0, parsed.Value(_prefix + "_store_duration_seconds_bucket", ("le", "0.0025")));
        Assert.Equal(1, parsed.Value(_prefix + "_store_duration_seconds_bucket", ("le", "0.005")));
        Assert.Equal(1, parsed.Value(_prefix + "_store_duration_seconds_bucket", ("le", "10")));
    }

    [Fact]
    public void Collect_AwkwardNamesAndValues_SanitizedAndEscaped()
    {
        using var exporter = Exporter();
        var awkward = "back\\slash \"quoted\"\nnext line";
        var counter = _meter.CreateCounter<int>(_prefix + ".weird-name/x", null, "first line\nsecond \\ line");
        counter.Add(2, new KeyValuePair<string, object?>("device.name", awkward), new KeyValuePair<string, object?>("9lives", "ok"));

        var text = exporter.Collect();
        var parsed = PrometheusParser.Parse(text);

        var name = _prefix + "_weird_name_x_total";
        Assert.Equal(2, parsed.Value(name, ("device_name", awkward), ("_9lives", "ok")));
        Assert.Contains(@"# HELP " + name + @" first line\nsecond \\ line", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_ObservableInstruments_ReadAtScrapeAndDropVanishedSeries()
    {
        using var exporter = Exporter();
        var devices = new List<string> { "a", "b" };
        var total = 10L;
        _meter.CreateObservableGauge(_prefix + ".queue", () => devices.Select(d => new Measurement<int>(d.Length * 7, new KeyValuePair<string, object?>("device", d))));
        _meter.CreateObservableCounter(_prefix + ".sent", () => total);
        var depth = _meter.CreateUpDownCounter<int>(_prefix + ".depth");
        depth.Add(5);
        depth.Add(-2);

        var first = PrometheusParser.Parse(exporter.Collect());
        devices.Remove("b");
        total = 25;
        var second = PrometheusParser.Parse(exporter.Collect());

        Assert.Equal("gauge", first.Types[_prefix + "_queue"]);
        Assert.Equal(7, first.Value(_prefix + "_queue", ("device", "b")));
        Assert.Null(second.Find(_prefix + "_queue", ("device", "b")));
        Assert.Equal(7, second.Value(_prefix + "_queue", ("device", "a")));
        Assert.Equal("counter", first.Types[_prefix + "_sent_total"]);
        Assert.Equal(10, first.Value(_prefix + "_sent_total"));
        Assert.Equal(25, second.Value(_prefix + "_sent_total"));
        Assert.Equal("gauge", second.Types[_prefix + "_depth"]);
        Assert.Equal(3, second.Value(_prefix + "_depth"));
    }

    [Fact]
    public void Collect_MoreTagSetsThanTheLimit_OverflowSeriesAndCounter()
    {
        using var exporter = Exporter(maxSeries: 3);
        var counter = _meter.CreateCounter<long>(_prefix + ".requests");
        for (var i = 0; i < 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("path", "/p" + i));
        }

        var parsed = PrometheusParser.Parse(exporter.Collect());

        var name = _prefix + "_requests_total";
        Assert.Equal(4, parsed.Samples.Count(s => s.Name == name));
        Assert.Equal(7, parsed.Value(name, ("overflow", "true")));
        Assert.Equal(10, parsed.Samples.Where(s => s.Name == name).Sum(s => s.Value));
        Assert.Equal(7, parsed.Value("edgecloud_metrics_series_overflow_total", ("metric", name)));
    }

    [Fact]
    public void Collect_OtherScopeAndDisposedMeters_NotExported()
    {
        using var exporter = Exporter();
        using var foreign = new Meter(new MeterOptions(_meter.Name) { Scope = new object() });
        foreign.CreateCounter<long>(_prefix + ".foreign").Add(1);
        var own = new Meter(new MeterOptions(_meter.Name + ".own") { Scope = _scope });
        own.CreateCounter<long>(_prefix + ".own").Add(1);
        Assert.Equal(1, PrometheusParser.Parse(exporter.Collect()).Value(_prefix + "_own_total"));

        own.Dispose();
        var parsed = PrometheusParser.Parse(exporter.Collect());

        Assert.Null(parsed.Find(_prefix + "_foreign_total"));
        Assert.Null(parsed.Find(_prefix + "_own_total"));
    }

    [Fact]
    public void Read_CounterWithTags_ReturnsEverySeries()
    {
        using var exporter = Exporter();
        var polls = _meter.CreateCounter<long>(_prefix + ".polls");
        polls.Add(2, new KeyValuePair<string, object?>("device", "a"));
        polls.Add(3, new KeyValuePair<string, object?>("device", "b"));

        var readings = exporter.Read(_prefix + ".polls");

        Assert.Equal(2, readings.Single(r => r.Labels["device"] == "a").Value);
        Assert.Equal(3, readings.Single(r => r.Labels["device"] == "b").Value);
        Assert.Empty(exporter.Read(_prefix + ".nothing"));
    }
}
