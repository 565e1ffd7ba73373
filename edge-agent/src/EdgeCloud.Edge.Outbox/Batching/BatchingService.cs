using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Outbox.Batching;

/// <summary>
/// Reads the point pipeline and seals batches into the outbox: a batch closes at
/// <see cref="OutboxConfig.MaxBatchPoints"/> points or when its first point is
/// <see cref="OutboxConfig.MaxBatchDelay"/> old. At most a few appends are in flight at once, so
/// batches that seal while the previous fsync runs share the next one (group commit). On
/// shutdown whatever is still in the pipeline is sealed and made durable before it returns.
/// </summary>
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
    private const int MaxAppendsInFlight = 4;
    private readonly List<DataPoint> _points = new(config.MaxBatchPoints);
    private List<DataPoint>[] _scratch = [];
    private readonly Queue<Task> _inFlight = new();
    private DateTimeOffset _firstAt;
    private Task<bool>? _more;
    private Task? _delay;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_points.Count == 0)
                {
                    if (!await MoreAsync(stoppingToken))
                    {
                        break;
                    }
                }

                Drain();
                var deadline = _firstAt + config.MaxBatchDelay;
                var remaining = deadline - time.GetUtcNow();
                if (_points.Count < config.MaxBatchPoints && remaining > TimeSpan.Zero)
                {
                    var more = MoreAsync(stoppingToken);
                    await Task.WhenAny(more, DelayAsync(remaining, stoppingToken));
                    if (stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }

                    if (more.IsCompletedSuccessfully && more.Result)
                    {
                        Drain();
                    }

                    if (_points.Count < config.MaxBatchPoints && time.GetUtcNow() < deadline)
                    {
                        continue;
                    }
                }

                await SealAsync(CancellationToken.None);
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
    /// The wait for more points: the one still pending from an earlier wait, else a new one. A wait
    /// that lost to the timeout is kept rather than cancelled, so waking up (about once per poll)
    /// costs no linked token source and no cancelled waiter.
    /// </summary>
    private Task<bool> MoreAsync(CancellationToken stoppingToken) =>
        _more is { IsCompleted: false } ? _more : _more = pipeline.Reader.WaitToReadAsync(stoppingToken).AsTask();

    /// <summary>
    /// The batch timeout: the timer still pending from an earlier wait, else a new one. A kept timer
    /// is due no later than the current deadline (deadlines only move later, and it was made for an
    /// earlier one), so it may wake the loop early, which checks the deadline again, never late.
    /// </summary>
    private Task DelayAsync(TimeSpan remaining, CancellationToken stoppingToken) =>
        _delay is { IsCompleted: false } ? _delay : _delay = Task.Delay(remaining, time, stoppingToken);

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
        while (pipeline.Reader.Count > 0);

        await SealAsync(CancellationToken.None);
        await Task.WhenAll(_inFlight);
        _inFlight.Clear();
    }

    /// <summary>
    /// Moves points from the pipeline into the batch until it is full, showing each to the stages.
    /// The stages are held for the whole run, so a site swapped by a live config change sees no
    /// point after <see cref="PointStages.Replace"/> returned.
    /// </summary>
    private void Drain()
    {
        using var scope = stages.Enter(out var current);
        if (_scratch.Length < current.Length)
        {
            _scratch = [.. Enumerable.Range(0, current.Length).Select(_ => new List<DataPoint>())];
        }

        while (_points.Count < config.MaxBatchPoints && pipeline.Reader.TryRead(out var point))
        {
            if (_points.Count == 0)
            {
                _firstAt = time.GetUtcNow();
            }

            _points.Add(point);
            if (current.Length > 0)
            {
                RunStages(current, point);
            }
        }
    }

    /// <summary>
    /// Shows <paramref name="point"/> to the stages from <paramref name="first"/> on, in order;
    /// what stage i derives goes into the batch right after it and is shown to the stages after i
    /// only. A batch may therefore run over <see cref="OutboxConfig.MaxBatchPoints"/> by the points
    /// derived from its last source point.
    /// </summary>
    private void RunStages(IPointStage[] current, in DataPoint point, int first = 0)
    {
        for (var i = first; i < current.Length; i++)
        {
            // One scratch list per stage: a derived point recurses only into later stages, so a
            // list is never in use twice at the same time.
            var derived = _scratch[i];
            derived.Clear();
            current[i].Process(point, derived);
            for (var d = 0; d < derived.Count; d++)
            {
                var item = derived[d];
                _points.Add(item);
                RunStages(current, item, i + 1);
            }

            derived.Clear();
        }
    }

    private async Task SealAsync(CancellationToken cancellationToken)
    {
        if (_points.Count == 0)
        {
            return;
        }

        var sealedAt = BatchEncoder.ToUnixNano(time.GetUtcNow());
        var payload = BatchEncoder.Encode(_points, sealedAt, clock.IsSynchronized);
        var batch = new OutboxBatch(OutboxBatchKind.Telemetry, _points.Count, sealedAt, payload);
        _points.Clear();

        while (_inFlight.Count >= MaxAppendsInFlight)
        {
            await _inFlight.Dequeue();
        }

        // Appends complete in order (one writer thread), so awaiting the oldest first is exact.
        _inFlight.Enqueue(outbox.AppendAsync(batch, cancellationToken).AsTask());
        while (_inFlight.Count > 0 && _inFlight.Peek().IsCompleted)
        {
            await _inFlight.Dequeue();
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Critical, Message = "The outbox failed; the agent stops so that its supervisor restarts it and recovery runs")]
    private static partial void LogOutboxFailed(ILogger logger, Exception error);
}
