using System.Diagnostics.Metrics;
using System.Text;

namespace EdgeCloud.Edge.Metrics;

/// <summary>
/// A Prometheus text-format (0.0.4) exporter over <see cref="System.Diagnostics.Metrics"/>: a
/// <see cref="MeterListener"/> aggregates the measurements of the selected meters in memory, and
/// <see cref="Collect"/> renders them. Invariants: recording is thread-safe and takes no lock
/// (only scrapes are serialized); each instrument holds at most
/// <see cref="PrometheusExporterOptions.MaxSeriesPerInstrument"/> series; observable instruments
/// are read at scrape time, and a series they no longer report disappears; counters only grow
/// while the exporter lives.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The Content-Type of <see cref="Collect"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const string RuntimeMeter = "System.Runtime";

    private readonly PrometheusExporterOptions _options;
    private readonly MeterListener _listener;
    private readonly Lock _instrumentsLock = new();
    private readonly List<InstrumentState> _instruments = [];
    private readonly Lock _scrapeLock = new();
    private long _generation;

    /// <summary>Starts listening at once; instruments created later are picked up as they appear.</summary>
    public PrometheusExporter(PrometheusExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        _listener.SetMeasurementEventCallback<byte>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<short>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<int>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<long>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<float>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<double>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<decimal>((i, m, t, s) => Record(s, (double)m, t));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and renders every family as Prometheus text.</summary>
    public string Collect()
    {
        var text = new StringBuilder(4096);
        lock (_scrapeLock)
        {
            // Observable callbacks run inside RecordObservableInstruments, on this thread, and
            // stamp what they report with this generation.
            var generation = Interlocked.Increment(ref _generation);
            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException error)
            {
                // A failing callback loses its own figures only; say so where the scraper looks.
                text.Append("# an observable instrument failed: ").Append(error.InnerException?.Message.ReplaceLineEndings(" ")).Append('\n');
            }

            InstrumentState[] instruments;
            lock (_instrumentsLock)
            {
                instruments = [.. _instruments];
            }

            PrometheusRenderer.Render(text, instruments, generation);
            PrometheusRenderer.RenderOverflow(text, instruments);
        }

        return text.ToString();
    }

    /// <summary>
    /// The series of the synchronous counters and gauges named <paramref name="instrumentName"/>
    /// (the instrument's own name, not the Prometheus one), for a status page. Histograms and
    /// observable instruments are not read here.
    /// </summary>
    public IReadOnlyList<MetricReading> Read(string instrumentName)
    {
        lock (_instrumentsLock)
        {
            return [.. _instruments
                .Where(i => !i.IsObservable && i.Kind != InstrumentKind.Histogram && string.Equals(i.Instrument.Name, instrumentName, StringComparison.Ordinal))
                .SelectMany(i => i.Series())
                .Select(s => new MetricReading(s.Tags.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), s.Value))];
        }
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is InstrumentState instrument)
        {
            instrument.Record(value, tags, instrument.IsObservable ? Volatile.Read(ref _generation) : 0);
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!Selected(instrument.Meter) || KindOf(instrument) is not { } kind)
        {
            return;
        }

        var state = new InstrumentState(instrument, kind, _options.MaxSeriesPerInstrument);
        lock (_instrumentsLock)
        {
            _instruments.Add(state);
        }

        listener.EnableMeasurementEvents(instrument, state);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        // The meter was disposed (its host stopped): its figures go with it.
        lock (_instrumentsLock)
        {
            _instruments.RemoveAll(i => ReferenceEquals(i, state));
        }
    }

    private bool Selected(Meter meter)
    {
        if (string.Equals(meter.Name, RuntimeMeter, StringComparison.Ordinal))
        {
            return _options.IncludeRuntime;
        }

        return _options.MeterPrefixes.Any(p => meter.Name.StartsWith(p, StringComparison.Ordinal))
            && (_options.Scope is null || meter.Scope is null || ReferenceEquals(meter.Scope, _options.Scope));
    }

    private static InstrumentKind? KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Counter<>) ? InstrumentKind.Counter
            : definition == typeof(UpDownCounter<>) ? InstrumentKind.UpDownCounter
            : definition == typeof(Gauge<>) ? InstrumentKind.Gauge
            : definition == typeof(Histogram<>) ? InstrumentKind.Histogram
            : definition == typeof(ObservableCounter<>) ? InstrumentKind.ObservableCounter
            : definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) ? InstrumentKind.ObservableGauge
            : null;
    }
}
