using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// The one loop that runs every model: interval models on their period from a snapshot of their
/// windows, on-change models on their queued samples in batches, shadows beside their primary on
/// the same rows. Outputs are published through the <see cref="IPointSink"/> (the pipeline's
/// back-pressure applies to them like to any source). Retired models are finished and disposed
/// here, between runs, so no session is disposed while in use. A model that throws loses that run
/// (logged and counted); the loop and the other models go on.
/// </summary>
internal sealed class ModelRunnerService(
    ModelRegistry registry,
    IPointSink sink,
    ModelsOptions options,
    ModelMetrics metrics,
    TimeProvider time,
    ILogger<ModelRunnerService> logger) : BackgroundService
{
    private readonly List<DataPoint> _out = [];
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private readonly DateTimeOffset[] _stamps = new DateTimeOffset[options.MaxBatch];
    private readonly bool[] _uncertain = new bool[options.MaxBatch];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Read the set first: when something was retired meanwhile, start over with a fresh
                // set, so that a disposed session is never run and the samples a retired model
                // still holds are run before its successor's (outputs stay in point order).
                var set = registry.Current;
                if (await FinishRetiredAsync(stoppingToken))
                {
                    continue;
                }

                var now = time.GetUtcNow();
                DateTimeOffset? next = null;
                foreach (var model in set.Models)
                {
                    if (model.Session.Manifest.RunInterval is { } interval)
                    {
                        var due = _due.GetValueOrDefault(model.Session.Name, now);
                        if (now >= due)
                        {
                            await RunSnapshotAsync(model, now, stoppingToken);
                            due += interval;
                            due = due <= now ? now + interval : due; // fell behind: skip, do not burst
                            _due[model.Session.Name] = due;
                        }

                        next = next is null || due < next ? due : next;
                    }
                    else
                    {
                        await DrainAsync(model.Session, model.State, model.Shadows, stoppingToken);
                    }

                    if (model.State.TakeDropped() is > 0 and var dropped)
                    {
                        metrics.Dropped(model.Session.Name, dropped);
                        Log.SamplesDropped(logger, model.Session.Name, dropped);
                    }
                }

                Forget(set);
                await WaitAsync(next - now, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; derived outputs not yet published are recomputed from live data after a restart.
        }
    }

    private async Task<bool> FinishRetiredAsync(CancellationToken cancellationToken)
    {
        var any = false;
        while (registry.TryTakeRetired(out var retired))
        {
            any = true;
            if (retired.State is { } state)
            {
                // Samples queued before the swap belong to the old version: it runs them, then goes.
                await DrainAsync(retired.Session, state, [], cancellationToken);
            }

            retired.Session.Dispose();
        }

        return any;
    }

    private async Task DrainAsync(ModelSession session, ModelInputState state, IReadOnlyList<ShadowModel> shadows, CancellationToken cancellationToken)
    {
        int n;
        while ((n = state.Take(session.Rows, _stamps, _uncertain, session.MaxBatch)) > 0)
        {
            await RunAsync(session, shadows, n, cancellationToken);
        }
    }

    private async Task RunSnapshotAsync(ActiveModel model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = model.Session;
        if (model.State.TrySnapshot(session.Rows.AsSpan(0, session.InputLength), out var uncertain))
        {
            _stamps[0] = now;
            _uncertain[0] = uncertain;
            await RunAsync(session, model.Shadows, 1, cancellationToken);
        }
    }

    private async Task RunAsync(ModelSession session, IReadOnlyList<ShadowModel> shadows, int batch, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            session.Run(session.Rows.AsSpan(0, batch * session.InputLength), batch, session.Results);
        }
        catch (OnnxRuntimeException ex)
        {
            metrics.Failed(session.Name);
            Log.RunFailed(logger, session.Name, batch, ex);
            return;
        }

        metrics.Ran(session.Name, batch, time.GetElapsedTime(started).TotalMilliseconds);
        var outputs = session.Manifest.Outputs;
        for (var r = 0; r < batch; r++)
        {
            for (var k = 0; k < outputs.Count; k++)
            {
                _out.Add(Point(outputs[k].Device, outputs[k].Tag, r, session.Results[(r * outputs.Count) + k]));
            }
        }

        foreach (var shadow in shadows)
        {
            RunShadow(session, shadow, batch);
        }

        await sink.PublishAsync(_out, cancellationToken);
        _out.Clear();
    }

    private void RunShadow(ModelSession primary, ShadowModel shadow, int batch)
    {
        var candidate = shadow.Session;
        var length = primary.InputLength;
        for (var start = 0; start < batch; start += candidate.MaxBatch)
        {
            var n = Math.Min(candidate.MaxBatch, batch - start);
            try
            {
                candidate.Run(primary.Rows.AsSpan(start * length, n * length), n, candidate.Results);
            }
            catch (OnnxRuntimeException ex)
            {
                metrics.Failed(candidate.Name);
                Log.RunFailed(logger, candidate.Name, n, ex);
                continue;
            }

            var width = primary.Manifest.Outputs.Count;
            var shadowWidth = candidate.Manifest.Outputs.Count;
            for (var r = 0; r < n; r++)
            {
                double sum = 0;
                foreach (var (p, s) in shadow.Pairs)
                {
                    sum += Math.Abs((double)primary.Results[((start + r) * width) + p] - candidate.Results[(r * shadowWidth) + s]);
                }

                var divergence = sum / shadow.Pairs.Length;
                metrics.Diverged(candidate.Name, divergence);
                _out.Add(Point(shadow.Device, shadow.Tag, start + r, (float)divergence));
            }
        }
    }

    private DataPoint Point(string device, string tag, int row, float value) =>
        float.IsFinite(value)
            ? new DataPoint(device, tag, _stamps[row], TagValue.FromNumber(value), _uncertain[row] ? PointQuality.Uncertain : PointQuality.Good)
            : new DataPoint(device, tag, _stamps[row], TagValue.None, PointQuality.Bad);

    private async Task WaitAsync(TimeSpan? delay, CancellationToken cancellationToken)
    {
        if (registry.Wakeups.TryRead(out _))
        {
            return;
        }

        if (delay is not { } d)
        {
            await registry.Wakeups.WaitToReadAsync(cancellationToken);
            registry.Wakeups.TryRead(out _);
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = registry.Wakeups.WaitToReadAsync(wait.Token).AsTask();
        var timeout = Task.Delay(d > TimeSpan.Zero ? d : TimeSpan.Zero, time, wait.Token);
        await Task.WhenAny(woken, timeout);
        await wait.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        registry.Wakeups.TryRead(out _);
    }

    /// <summary>Drops the schedules of models no longer in force.</summary>
    private void Forget(ModelSet set)
    {
        if (_due.Count > set.Models.Count)
        {
            foreach (var name in _due.Keys.Where(n => !set.Models.Any(m => m.Session.Name == n)).ToList())
            {
                _due.Remove(name);
            }
        }
    }
}
