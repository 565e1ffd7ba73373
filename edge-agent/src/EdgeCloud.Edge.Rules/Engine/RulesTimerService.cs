using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Rules.Alarms;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Rules.Engine;

/// <summary>
/// Once a second (on the injected clock): raises stale rules and rules whose duration ran out
/// without a new point, and ends expired shelvings and
/// suppressions. Derived points that stale rules make (setTag actions) are published to the
/// pipeline like a source's points, since this loop is not on the batcher's thread.
/// </summary>
internal sealed class RulesTimerService(RuleEngine engine, ModelRuleSets models, AlarmManager alarms, IPointSink sink, TimeProvider time) : BackgroundService
{
    /// <summary>How often the timer runs.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly List<DataPoint> _derived = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TickAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One run of the timer's checks.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        _derived.Clear();
        var now = time.GetUtcNow();
        engine.CheckStale(now, _derived);
        models.CheckStale(now, _derived);
        alarms.ExpireShelves();
        if (_derived.Count > 0)
        {
            await sink.PublishAsync(_derived.ToArray(), cancellationToken);
        }
    }
}
