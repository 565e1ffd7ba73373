using System.Text;

namespace EdgeCloud.Edge.Metrics;

/// <summary>
/// Writes instrument states as Prometheus text (format 0.0.4): one HELP and one TYPE line per
/// family, then its series. Instruments that share a family name (the same instrument name in two
/// meters) are written under one header; one whose type disagrees with the first is left out with
/// a comment, because a family has one type.
/// </summary>
internal static class PrometheusRenderer
{
    public static void Render(StringBuilder text, IReadOnlyList<InstrumentState> instruments, long generation)
    {
        foreach (var family in instruments.GroupBy(i => i.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = family.First();
            var type = TypeOf(first.Kind);
            text.Append("# HELP ").Append(family.Key).Append(' ');
            PrometheusText.AppendHelp(text, first.Instrument.Description ?? first.Instrument.Name);
            text.Append('\n');
            text.Append("# TYPE ").Append(family.Key).Append(' ').Append(type).Append('\n');
            foreach (var instrument in family)
            {
                if (TypeOf(instrument.Kind) != type)
                {
                    text.Append("# ").Append(instrument.Instrument.Meter.Name).Append(' ').Append(instrument.Instrument.Name)
                        .Append(" left out: its type differs from the family's\n");
                    continue;
                }

                RenderSeries(text, instrument, generation);
            }
        }
    }

    /// <summary>The exporter's own counter of measurements that hit the series limit.</summary>
    public static void RenderOverflow(StringBuilder text, IReadOnlyList<InstrumentState> instruments)
    {
        const string Name = "edgecloud_metrics_series_overflow_total";
        text.Append("# HELP ").Append(Name).Append(" Measurements recorded into the overflow series because an instrument reached its series limit\n");
        text.Append("# TYPE ").Append(Name).Append(" counter\n");
        foreach (var instrument in instruments.Where(i => i.Overflowed > 0))
        {
            text.Append(Name).Append("{metric=\"");
            PrometheusText.AppendLabelValue(text, instrument.Name);
            text.Append("\"} ").Append(instrument.Overflowed).Append('\n');
        }
    }

    private static void RenderSeries(StringBuilder text, InstrumentState instrument, long generation)
    {
        Span<long> counts = stackalloc long[instrument.Kind == InstrumentKind.Histogram ? instrument.Bounds.Length + 1 : 0];
        foreach (var series in instrument.Series())
        {
            // An observable series not reported in this scrape is gone (its tag set no longer exists).
            if (instrument.IsObservable && series.Generation != generation)
            {
                continue;
            }

            if (instrument.Kind != InstrumentKind.Histogram)
            {
                Sample(text, instrument.Name, series.Tags, null, series.Value);
                continue;
            }

            series.CopyBuckets(counts);
            var sum = series.Value;
            long cumulative = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                cumulative += counts[i];
                var bound = i < instrument.Bounds.Length ? PrometheusText.Number(instrument.Bounds[i]) : "+Inf";
                Sample(text, instrument.Name + "_bucket", series.Tags, bound, cumulative);
            }

            // _count is the +Inf bucket of the same snapshot, so the two always agree.
            Sample(text, instrument.Name + "_sum", series.Tags, null, sum);
            Sample(text, instrument.Name + "_count", series.Tags, null, cumulative);
        }
    }

    private static void Sample(StringBuilder text, string name, TagSet tags, string? le, double value)
    {
        text.Append(name);
        if (tags.Labels.Length > 0 || le is not null)
        {
            text.Append('{');
            var separator = "";
            foreach (var label in tags.Labels)
            {
                text.Append(separator).Append(label.Key).Append("=\"");
                PrometheusText.AppendLabelValue(text, label.Value);
                text.Append('"');
                separator = ",";
            }

            if (le is not null)
            {
                text.Append(separator).Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(PrometheusText.Number(value)).Append('\n');
    }

    private static string TypeOf(InstrumentKind kind) => kind switch
    {
        InstrumentKind.Counter or InstrumentKind.ObservableCounter => "counter",
        InstrumentKind.Histogram => "histogram",
        _ => "gauge",
    };
}
