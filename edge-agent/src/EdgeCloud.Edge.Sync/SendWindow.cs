using System.Collections.Concurrent;

namespace EdgeCloud.Edge.Sync;

/// <summary>
/// Flow control of one session: at most N batches sent and not yet acknowledged. The sender
/// takes a slot per batch; a cumulative Ack frees every slot at or below its sequence.
/// </summary>
internal sealed class SendWindow(int size) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(size, size);
    private readonly ConcurrentQueue<ulong> _unacknowledged = new();

    public int InFlight => _unacknowledged.Count;

    public Task TakeAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Sent(ulong sequence) => _unacknowledged.Enqueue(sequence);

    public void Acknowledged(ulong sequence)
    {
        while (_unacknowledged.TryPeek(out var oldest) && oldest <= sequence && _unacknowledged.TryDequeue(out _))
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
