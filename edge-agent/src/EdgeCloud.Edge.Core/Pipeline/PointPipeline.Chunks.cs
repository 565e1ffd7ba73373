using System.Buffers;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Pipeline;

// The pipeline's items: pooled copies of a publish's points, and the sources waiting for room.
public sealed partial class PointPipeline
{
    /// <summary>The largest chunk array the pool keeps (a poll of up to this many tags); larger ones are dropped after use.</summary>
    private const int PooledChunkPoints = 1024;

    /// <summary>Chunk arrays kept per size.</summary>
    private const int PooledChunksPerSize = 32;

    // The pipeline's own pool, not ArrayPool.Shared: sources rent on their threads and the reader
    // returns on its own, which the shared pool's per-thread caches serve poorly (at a gateway's
    // rate a share of the rents missed and allocated a new array). This one is locked per size, so
    // any thread's return serves any thread's rent. At most PooledChunksPerSize arrays of each size
    // up to PooledChunkPoints are kept.
    private readonly ArrayPool<DataPoint> _pool = ArrayPool<DataPoint>.Create(PooledChunkPoints, PooledChunksPerSize);

    /// <summary>A chunk's copy of the caller's points: callers reuse their arrays once the publish completed.</summary>
    private Chunk Copy(IReadOnlyList<DataPoint> points, int at, int count)
    {
        var array = _pool.Rent(count);
        switch (points)
        {
            case DataPoint[] source:
                source.AsSpan(at, count).CopyTo(array);
                break;
            case List<DataPoint> source:
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(source).Slice(at, count).CopyTo(array);
                break;
            default:
                // By index: a foreach over the interface would allocate an enumerator per poll.
                for (var i = 0; i < count; i++)
                {
                    array[i] = points[at + i];
                }

                break;
        }

        return new Chunk(array, count, _time.GetUtcNow());
    }

    private void Return(Chunk chunk)
    {
        // Cleared so that the pool holds no strings (tags, texts) of points long gone.
        chunk.Points.AsSpan(0, chunk.Count).Clear();
        _pool.Return(chunk.Points);
    }

    /// <summary>One publish's points (or a capacity-sized piece of a larger one) in a pooled array.</summary>
    private readonly record struct Chunk(DataPoint[] Points, int Count, DateTimeOffset PublishedAt);

    /// <summary>A source waiting for room; completed by the reader when its chunk was let in.</summary>
    private sealed class Waiter(Chunk chunk) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Chunk Chunk { get; } = chunk;

        /// <summary>Set under the pipeline's lock once the chunk is queued.</summary>
        public bool Admitted { get; set; }

        /// <summary>Set under the pipeline's lock when the source gave up first; the reader skips it.</summary>
        public bool Cancelled { get; set; }

        public async Task WaitAsync(PointPipeline pipeline, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled)
            {
                await Task;
                return;
            }

            using (cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).TrySetCanceled(token), this))
            {
                try
                {
                    await Task;
                }
                catch (OperationCanceledException)
                {
                    using (pipeline._lock.EnterScope())
                    {
                        if (Admitted)
                        {
                            // Let in just before the cancellation: the points are queued, the publish stands.
                            return;
                        }

                        Cancelled = true;
                    }

                    pipeline.Return(Chunk);
                    throw;
                }
            }
        }
    }
}
