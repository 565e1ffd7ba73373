using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// The pipeline as one site's services see it: points pass straight on to the agent's
/// <see cref="PointPipeline"/>, and the good-quality points of each configured device are counted, which is
/// how the revert watch tells whether a new site delivers data. Derived points (rules, models) are not
/// counted: they would hide a dead device. A poll carries one device's points, so one lookup per call.
/// </summary>
internal sealed class SiteSink(IPointSink pipeline, SiteConfig site) : IPointSink
{
    private readonly FrozenDictionary<string, StrongBox<long>> _good =
        site.Devices.Select(d => d.Name).Distinct(StringComparer.Ordinal).ToFrozenDictionary(n => n, _ => new StrongBox<long>(), StringComparer.Ordinal);

    /// <summary>Names of the devices that delivered at least one good point so far.</summary>
    public IReadOnlyList<string> DevicesDelivering => [.. _good.Where(d => Volatile.Read(ref d.Value.Value) > 0).Select(d => d.Key).Order(StringComparer.Ordinal)];

    /// <summary>Good points from the site's devices so far.</summary>
    public long GoodPoints => _good.Values.Sum(c => Volatile.Read(ref c.Value));

    public ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count > 0 && _good.TryGetValue(points[0].Device, out var counter))
        {
            var good = 0;
            for (var i = 0; i < points.Count; i++)
            {
                good += points[i].Quality == PointQuality.Good ? 1 : 0;
            }

            Interlocked.Add(ref counter.Value, good);
        }

        return pipeline.PublishAsync(points, cancellationToken);
    }
}
