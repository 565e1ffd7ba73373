using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Ingest;

/// <summary>
/// The batches of one stream between their arrival and their acknowledgement. The read loop adds each
/// batch with its store call already started, in arrival order; one acknowledging loop awaits them in that
/// same order and answers each one only after its own commit. The first failure stops the acknowledgements
/// (nothing after it is answered), cancels <see cref="Failed"/> so the read loop stops, and is rethrown by
/// <see cref="CompleteAsync"/>. At most <c>capacity</c> batches wait here, so a fast agent cannot grow
/// the hub's memory without limit: past that, the read loop waits.
/// </summary>
internal sealed class StreamPipeline : IDisposable
{
    private readonly Channel<InFlightBatch> _inFlight;
    private readonly CancellationTokenSource _failed = new();
    private readonly Func<InFlightBatch, Task> _acknowledge;
    private readonly Task _acknowledging;
    private ExceptionDispatchInfo? _fault;

    /// <param name="capacity">Batches that may wait for their commit or acknowledgement at once.</param>
    /// <param name="acknowledge">Runs after a batch's commit, in arrival order: what follows a commit, then the Ack.</param>
    public StreamPipeline(int capacity, Func<InFlightBatch, Task> acknowledge)
    {
        _inFlight = Channel.CreateBounded<InFlightBatch>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        _acknowledge = acknowledge;
        _acknowledging = AcknowledgeLoopAsync();
    }

    /// <summary>Cancelled when a batch failed: the stream ends, and no later batch is acknowledged.</summary>
    public CancellationToken Failed => _failed.Token;

    /// <summary>The failure that ended the acknowledgements, if any.</summary>
    public Exception? Fault => _fault?.SourceException;

    /// <summary>
    /// The store work added last that runs after its predecessor instead of beside it; a store call that
    /// must keep its place in line starts only once this is complete.
    /// </summary>
    public Task Tail { get; set; } = Task.CompletedTask;

    /// <summary>Queues a batch whose store work has started; waits while the pipeline is full.</summary>
    public ValueTask AddAsync(InFlightBatch batch, CancellationToken cancellationToken) => _inFlight.Writer.WriteAsync(batch, cancellationToken);

    /// <summary>Takes no more batches, waits until every queued one is acknowledged, and rethrows the failure that stopped them.</summary>
    public async Task CompleteAsync()
    {
        _inFlight.Writer.TryComplete();
        await _acknowledging;
        _fault?.Throw();
    }

    /// <summary>Takes no more batches and waits for the store work already started; never throws (the session is ending anyway).</summary>
    public async Task AbandonAsync()
    {
        _inFlight.Writer.TryComplete();
        await _acknowledging;
    }

    public void Dispose() => _failed.Dispose();

    private async Task AcknowledgeLoopAsync()
    {
        // Yield first: the constructor must not run the loop's first steps on the caller's stack.
        await Task.Yield();
        await foreach (var batch in _inFlight.Reader.ReadAllAsync())
        {
            if (_fault is not null)
            {
                await ObserveAsync(batch.Stored);
                continue;
            }

            try
            {
                await _acknowledge(batch);
            }
            catch (Exception error)
            {
                _fault = ExceptionDispatchInfo.Capture(error);
                await _failed.CancelAsync();
            }
        }
    }

    private static async Task ObserveAsync(Task stored)
    {
        try
        {
            await stored;
        }
        catch (Exception)
        {
            // Already past a failure: this batch is not acknowledged whatever its outcome, and the agent
            // resends it (a stored one then counts as a duplicate).
        }
    }
}

/// <summary>A batch in a <see cref="StreamPipeline"/>: its sequence and the store work that ends with the results of its parts, in order.</summary>
/// <param name="Sequence">The sequence the Ack names.</param>
/// <param name="Stored">Completes after the batch's commit (compacted entries first, then the carrier).</param>
internal sealed record InFlightBatch(ulong Sequence, Task<StoredPart[]> Stored);

/// <summary>One stored part of a batch and what the store said about it.</summary>
internal readonly record struct StoredPart(TelemetryBatch Batch, Storage.IngestResult Result);
