using System.Runtime.InteropServices;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Outbox.Batching;

/// <summary>
/// Reads the point pipeline and seals batches into the outbox: a batch closes at
/// <see cref="OutboxConfig.MaxBatchPoints"/> points, before its encoded points would pass
/// <see cref="MaxPointBytes"/> (long tags or text values; the size contract of
/// <see cref="OutboxLimits"/>), or when its first point was published
/// <see cref="OutboxConfig.MaxBatchDelay"/> ago. At most a few appends are in flight at once, so
/// batches that seal while the previous fsync runs share the next one (group commit). On
/// shutdown whatever is still in the pipeline is sealed and made durable before it returns.
/// </summary>
/// <remarks>
/// The batcher does not wake per poll. While points keep coming it is woken by the source whose
/// publish makes a batch's worth queued or finds the oldest queued point half of
/// <see cref="StageLatency"/> old (its run then goes on that source's thread, inside the publish:
/// no other thread is woken), and by its own timer at the batch's deadline or
/// <see cref="StageLatency"/> after its last run, whichever is first; when a run found nothing it
/// waits for the next point, which wakes it at once. So the stages (rules, alarms, the live lane,
/// model inputs) see a point at most <see cref="StageLatency"/> (20 ms) after it was published,
/// unless the batcher is behind, and a point at a low rate at once; a batch still seals exactly at
/// its deadline.
/// </remarks>
internal sealed partial class BatchingService(
    PointPipeline pipeline,
    IOutbox outbox,
    OutboxConfig config,
    IClockStatus clock,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<BatchingService> logger,
    PointStages stages) : BackgroundService
{
    /// <summary>The most the batcher waits, while points come, before it shows queued points to the stages.</summary>
    public static readonly TimeSpan StageLatency = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The encoded points a batch holds at most: <see cref="OutboxLimits.MaxBatchPayloadBytes"/> less the
    /// batch's own fields (seal time, clock flag). One point larger than this still makes a batch of its own.
    /// </summary>
    internal const int MaxPointBytes = OutboxLimits.MaxBatchPayloadBytes - 16;

    private const int MaxAppendsInFlight = 4;
    private readonly List<DataPoint> _points = new(config.MaxBatchPoints);
    private readonly AddressCache _addresses = new();
    private List<DataPoint>[] _scratch = [];
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private readonly Queue<(Task Append, OutboxBatch Batch)> _inFlight = new();
    private CancellationToken _stopping;
    private TaskCompletionSource _appendFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _firstAt;

    // Encoded bytes of the points in the batch, and whether the next point would have passed MaxPointBytes.
    private long _bytes;

    // Each batched point's encoded size, in _points' order: counted once, to seal by size, and handed to
    // the encoder so that it does not count them again. _runSizes holds a run's sizes until its points go in.
    private readonly List<int> _sizes = new(config.MaxBatchPoints);
    private readonly List<int> _runSizes = [];
    private bool _full;
    private ITimer? _timer;
    private TaskCompletionSource? _timerFired;
    private IPointStage[]? _stagesSeen;
    private int _perPointStages;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = stoppingToken.Register(() => stopped.TrySetResult());
        using var timer = _timer = time.CreateTimer(static state => ((BatchingService)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            // Busy: the last runs since a wait took points, so more are coming.
            var busy = false;
            while (!stoppingToken.IsCancellationRequested)
            {
                busy |= Drain() > 0;
                var deadline = _firstAt + config.MaxBatchDelay;
                var now = time.GetUtcNow();
                if (_points.Count >= config.MaxBatchPoints || _full || (_points.Count > 0 && now >= deadline))
                {
                    await SealAsync(CancellationToken.None);
                    continue;
                }

                // Busy: wake when the batch could fill, or after the stage latency bound. Idle: wake
                // for the first point. Either way no later than the batch's deadline.
                var more = busy
                    ? pipeline.WaitToReadAsync(config.MaxBatchPoints - _points.Count, StageLatency / 2)
                    : pipeline.WaitToReadAsync(1);
                var due = _points.Count > 0 ? deadline : DateTimeOffset.MaxValue;
                if (busy && now + StageLatency < due)
                {
                    due = now + StageLatency;
                }

                await Task.WhenAny(more, ArmTimer(due, now), stopped.Task, _appendFailed.Task);
                if (more.IsCompletedSuccessfully && !more.Result)
                {
                    // Complete and empty: StopAsync seals what is left.
                    break;
                }

                if (_appendFailed.Task.IsCompleted)
                {
                    // Appends complete in sequence order, so every append before the failed one is
                    // complete too: take them (and retry the failed one) before reading on.
                    Volatile.Write(ref _appendFailed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    while (_inFlight.Count > 0 && _inFlight.Peek().Append.IsCompleted)
                    {
                        await CompleteOldestAsync();
                    }
                }

                busy = false;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync makes the rest durable.
        }
        catch (InvalidOperationException ex)
        {
            // The outbox stopped after a storage failure: nothing more can be made durable.
            LogOutboxFailed(logger, ex);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            throw;
        }
    }

    /// <summary>
    /// The one timer, moved to <paramref name="due"/> (never: stopped) rather than a new one per
    /// wait, so that while sources keep waking the loop first it never fires. A fire that raced
    /// with a move wakes the loop early, which checks again; never late.
    /// </summary>
    private Task ArmTimer(DateTimeOffset due, DateTimeOffset now)
    {
        if (due <= now)
        {
            return Task.CompletedTask;
        }

        if (_timerFired is null or { Task.IsCompleted: true })
        {
            // Synchronous continuation: the loop runs on the timer's pool thread, no second wake-up.
            Volatile.Write(ref _timerFired, new TaskCompletionSource());
        }

        var dueIn = due == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : due - now;
        _timer!.Change(dueIn, Timeout.InfiniteTimeSpan);
        return _timerFired!.Task;
    }

    private void OnTimer() => Volatile.Read(ref _timerFired)?.TrySetResult();

    /// <summary>
    /// Stops reading, then seals and makes durable whatever is still in memory or in the pipeline.
    /// Sources stop before this service (they were registered after it), so what is left is final.
    /// Done here rather than at the end of ExecuteAsync, which does not run at all when the host
    /// stops before it was scheduled.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { IsCompleted: false } or { IsFaulted: true })
        {
            // The host gave up waiting (the loop still owns the buffer), or the outbox failed.
            return;
        }

        do
        {
            Drain();
            await SealAsync(CancellationToken.None);
        }
        while (pipeline.QueuedPoints > 0);

        await SealAsync(CancellationToken.None);
        while (_inFlight.Count > 0)
        {
            await CompleteOldestAsync();
        }
    }

    /// <summary>
    /// Moves points from the pipeline into the batch until it is full, showing each to the stages,
    /// and returns how many it moved (derived points not counted). The stages are held for the whole
    /// run, so a site swapped by a live config change sees no point after
    /// <see cref="PointStages.Replace"/> returned. Batch stages at the end of the list see each
    /// chunk's run of points (derived ones included) once the per-point stages saw it.
    /// </summary>
    private int Drain()
    {
        using var scope = stages.Enter(out var current);
        if (!ReferenceEquals(current, _stagesSeen))
        {
            _stagesSeen = current;
            // A new site config: its sources name their points with new string instances.
            _addresses.Clear();
            _perPointStages = current.Length;
            while (_perPointStages > 0 && current[_perPointStages - 1] is IPointBatchStage)
            {
                _perPointStages--;
            }

            if (_scratch.Length < current.Length)
            {
                _scratch = [.. Enumerable.Range(0, current.Length).Select(_ => new List<DataPoint>())];
            }
        }

        var taken = 0;
        while (_points.Count < config.MaxBatchPoints && !_full)
        {
            var run = pipeline.Peek(out var publishedAt);
            if (run.IsEmpty)
            {
                break;
            }

            if (_points.Count == 0)
            {
                _firstAt = publishedAt;
            }

            run = run[..Math.Min(run.Length, config.MaxBatchPoints - _points.Count)];
            run = run[..Fitting(run)];
            if (run.IsEmpty)
            {
                break;
            }

            var start = _points.Count;
            if (_perPointStages == 0)
            {
                _points.AddRange(run);
                _sizes.AddRange(_runSizes);
            }
            else
            {
                for (var k = 0; k < run.Length; k++)
                {
                    _points.Add(run[k]);
                    _sizes.Add(_runSizes[k]);
                    RunStages(current, run[k]);
                }
            }

            pipeline.Advance(run.Length);
            taken += run.Length;
            if (_perPointStages < current.Length)
            {
                var added = CollectionsMarshal.AsSpan(_points)[start..];
                for (var i = _perPointStages; i < current.Length; i++)
                {
                    ((IPointBatchStage)current[i]).ProcessRun(added);
                }
            }
        }

        return taken;
    }

    /// <summary>
    /// Shows <paramref name="point"/> to the per-point stages from <paramref name="first"/> on, in
    /// order; what stage i derives goes into the batch right after it and is shown to the stages
    /// after i only. A batch may therefore run over <see cref="OutboxConfig.MaxBatchPoints"/> by the
    /// points derived from its last source point.
    /// </summary>
    private void RunStages(IPointStage[] current, in DataPoint point, int first = 0)
    {
        for (var i = first; i < _perPointStages; i++)
        {
            // One scratch list per stage: a derived point recurses only into later stages, so a
            // list is never in use twice at the same time.
            var derived = _scratch[i];
            derived.Clear();
            current[i].Process(point, derived);
            for (var d = 0; d < derived.Count; d++)
            {
                var item = derived[d];
                var size = BatchEncoder.PointSize(item, _addresses);
                _points.Add(item);
                _sizes.Add(size);
                _bytes += BatchEncoder.FieldBytes(size);
                RunStages(current, item, i + 1);
            }

            derived.Clear();
        }
    }

    /// <summary>
    /// How many of <paramref name="run"/> fit in the batch under <see cref="MaxPointBytes"/> (counted into
    /// <see cref="_bytes"/>); fewer than all marks the batch full. An empty batch takes its first point whatever
    /// its size, so that the batcher never stalls on it.
    /// </summary>
    private int Fitting(ReadOnlySpan<DataPoint> run)
    {
        var taken = 0;
        _runSizes.Clear();
        foreach (ref readonly var point in run)
        {
            var size = BatchEncoder.PointSize(point, _addresses);
            var field = BatchEncoder.FieldBytes(size);
            if (_bytes + field > MaxPointBytes && _points.Count + taken > 0)
            {
                _full = true;
                break;
            }

            _bytes += field;
            _runSizes.Add(size);
            taken++;
        }

        return taken;
    }

    private async Task SealAsync(CancellationToken cancellationToken)
    {
        if (_points.Count == 0)
        {
            return;
        }

        var sealedAt = BatchEncoder.ToUnixNano(time.GetUtcNow());
        var payload = BatchEncoder.Encode(_points, CollectionsMarshal.AsSpan(_sizes), sealedAt, clock.IsSynchronized, _addresses);
        var batch = new OutboxBatch(OutboxBatchKind.Telemetry, _points.Count, sealedAt, payload);
        _points.Clear();
        _sizes.Clear();
        _bytes = 0;
        _full = false;

        while (_inFlight.Count >= MaxAppendsInFlight)
        {
            await CompleteOldestAsync();
        }

        // Appends complete in order (one writer thread), so awaiting the oldest first is exact.
        var append = outbox.AppendAsync(batch, cancellationToken).AsTask();
        _inFlight.Enqueue((append, batch));

        // A failure wakes the loop (a success does not: it is taken at the next seal), so that a
        // failed batch is retried at once even when no further batch seals for a while.
        _ = append.ContinueWith(
            static (_, state) => Volatile.Read(ref ((BatchingService)state!)._appendFailed).TrySetResult(),
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        while (_inFlight.Count > 0 && _inFlight.Peek().Append.IsCompleted)
        {
            await CompleteOldestAsync();
        }
    }

    /// <summary>
    /// Awaits the oldest append. One that failed on the disk (the journal found no room even after
    /// the outbox dropped or compacted what it could, or an I/O error) is kept and tried again, with
    /// a growing pause, until it goes through: meanwhile the batcher does not read, so the pipeline
    /// fills and back-pressure holds the points at their sources instead of losing a batch (and the
    /// agent does not exit into a restart that would lose the pipeline's points as well). Only a stop
    /// ends the retries; then the batch's points are reported lost. A storage failure that stopped
    /// the outbox (InvalidOperationException) still stops the agent, as before.
    /// </summary>
    private async Task CompleteOldestAsync()
    {
        var (append, batch) = _inFlight.Dequeue();
        try
        {
            await append;
            return;
        }
        catch (IOException error)
        {
            LogAppendFailed(logger, batch.PointCount, error.Message, FirstRetryDelay.TotalSeconds);
            var delay = FirstRetryDelay;
            for (var attempt = 2; ; attempt++)
            {
                try
                {
                    await Task.Delay(delay, time, _stopping);
                    await outbox.AppendAsync(batch, CancellationToken.None);
                    LogAppendRecovered(logger, batch.PointCount, attempt);
                    return;
                }
                catch (IOException again)
                {
                    error = again;
                    delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    LogPointsLost(logger, batch.PointCount, attempt - 1, error.Message);
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "The outbox could not store a batch of {Points} points ({Reason}); the batch is kept and tried again in {Seconds} s, and the pipeline holds new points meanwhile")]
    private static partial void LogAppendFailed(ILogger logger, int points, string reason, double seconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "The outbox stored the kept batch of {Points} points at attempt {Attempt}")]
    private static partial void LogAppendRecovered(ILogger logger, int points, int attempt);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Stopping: a batch of {Points} points the outbox could not store after {Attempts} attempts is lost ({Reason})")]
    private static partial void LogPointsLost(ILogger logger, int points, int attempts, string reason);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Critical, Message = "The outbox failed; the agent stops so that its supervisor restarts it and recovery runs")]
    private static partial void LogOutboxFailed(ILogger logger, Exception error);
}
