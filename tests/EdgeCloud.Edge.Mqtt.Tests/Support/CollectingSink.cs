using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Mqtt.Tests.Support;

/// <summary>An <see cref="IPointSink"/> that keeps every point, for assertions.</summary>
internal sealed class CollectingSink : IPointSink
{
    private readonly Lock _lock = new();
    private readonly List<DataPoint> _points = [];

    public ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _points.AddRange(points);
        }

        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<DataPoint> Points
    {
        get
        {
            lock (_lock)
            {
                return [.. _points];
            }
        }
    }

    public IReadOnlyList<DataPoint> Of(string tag) => [.. Points.Where(p => p.Tag == tag)];

    public Task WaitUntilAsync(Func<IReadOnlyList<DataPoint>, bool> condition, string what, int seconds = 15) =>
        Eventually.WaitAsync(() => condition(Points), what, seconds);
}
