namespace EdgeCloud.Edge.Metrics;

/// <summary>How an instrument's measurements combine, and which Prometheus type it renders as.</summary>
internal enum InstrumentKind
{
    /// <summary>Counter: measurements are added; rendered as a counter with <c>_total</c>.</summary>
    Counter,

    /// <summary>UpDownCounter: measurements are added; rendered as a gauge.</summary>
    UpDownCounter,

    /// <summary>Gauge (synchronous): the last measurement wins.</summary>
    Gauge,

    /// <summary>Histogram: measurements fall into fixed buckets.</summary>
    Histogram,

    /// <summary>ObservableCounter: the callback reports the running total at each scrape.</summary>
    ObservableCounter,

    /// <summary>ObservableUpDownCounter and ObservableGauge: the callback reports the current value at each scrape.</summary>
    ObservableGauge,
}
