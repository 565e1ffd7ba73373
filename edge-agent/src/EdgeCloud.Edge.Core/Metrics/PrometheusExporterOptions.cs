using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Edge.Metrics;

/// <summary>What a <see cref="PrometheusExporter"/> listens to, and its limits.</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>Meters whose name starts with one of these are exported (default: <c>EdgeCloud.</c>).</summary>
    public IReadOnlyList<string> MeterPrefixes { get; init; } = ["EdgeCloud."];

    /// <summary>
    /// When set, only meters created by this scope (an <c>IMeterFactory</c>) are exported, so that
    /// two hosts in one process (tests, the demo) do not show each other's figures. Meters without a
    /// scope (created with <c>new Meter(...)</c>) are exported either way.
    /// </summary>
    public object? Scope { get; init; }

    /// <summary>Also export the runtime's own <c>System.Runtime</c> meter (GC, memory, thread pool). Default true.</summary>
    public bool IncludeRuntime { get; init; } = true;

    /// <summary>Series per instrument before new tag sets go to the overflow series. Default 1000.</summary>
    [Range(1, 1_000_000)]
    public int MaxSeriesPerInstrument { get; init; } = 1000;
}
