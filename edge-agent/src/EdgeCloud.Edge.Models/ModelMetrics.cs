using System.Diagnostics.Metrics;

namespace EdgeCloud.Edge.Models;

/// <summary>The models component's instruments (meter <see cref="MeterName"/>), each tagged with the model's name.</summary>
internal sealed class ModelMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "EdgeCloud.Edge.Models";

    private readonly Counter<long> _samples;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _loads;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _divergence;

    public ModelMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _samples = meter.CreateCounter<long>("edge_model_samples", "{sample}", "Samples run through a model");
        _failures = meter.CreateCounter<long>("edge_model_run_failures", "{run}", "Model runs that failed (their samples are dropped)");
        _dropped = meter.CreateCounter<long>("edge_model_samples_dropped", "{sample}", "Input samples dropped because an on-change model's queue was full");
        _loads = meter.CreateCounter<long>("edge_model_loads", "{load}", "Model load attempts, by result");
        _duration = meter.CreateHistogram<double>("edge_model_run_duration", "ms", "Time of one model run (one batch)");
        _divergence = meter.CreateHistogram<double>("edge_model_shadow_divergence", "1", "Mean absolute difference between a shadow model's outputs and its primary's");
    }

    public void Ran(string model, int samples, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        _samples.Add(samples, tag);
        _duration.Record(milliseconds, tag);
    }

    public void Failed(string model) => _failures.Add(1, new KeyValuePair<string, object?>("model", model));

    public void Dropped(string model, long count) => _dropped.Add(count, new KeyValuePair<string, object?>("model", model));

    public void Loaded(string model, bool ok) =>
        _loads.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("result", ok ? "ok" : "refused"));

    public void Diverged(string model, double divergence) => _divergence.Record(divergence, new KeyValuePair<string, object?>("model", model));
}
