using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Modbus.Tests.Support;

/// <summary>An <see cref="IPointSink"/> that keeps every published batch, for assertions.</summary>
internal sealed class CollectingSink : IPointSink
{
    private readonly Lock _lock = new();
    private readonly List<IReadOnlyList<DataPoint>> _batches = [];

    public ValueTask PublishAsync(IReadOnlyList<DataPoint> points, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _batches.Add([.. points]);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The batches published for <paramref name="device"/> so far.</summary>
    public IReadOnlyList<IReadOnlyList<DataPoint>> Batches(string device)
    {
        lock (_lock)
        {
            return [.. _batches.Where(b => b.Count > 0 && b[0].Device == device)];
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 20 ms; fails after <paramref name="deadline"/>.</summary>
    public async Task WaitUntilAsync(Func<CollectingSink, bool> condition, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        while (!condition(this))
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"not within {deadline}: {what}");
            }

            await Task.Delay(20);
        }
    }
}
