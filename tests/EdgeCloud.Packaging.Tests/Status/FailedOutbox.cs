using EdgeCloud.Edge.Outbox;

namespace EdgeCloud.Packaging.Tests.Status;

/// <summary>
/// Imitates a LiteDB outbox whose writer stopped after a storage failure (every command fails with
/// the message the real one uses) or whose writer thread is wedged (commands never complete): states
/// a real disk cannot be put in on demand in a test.
/// </summary>
internal sealed class FailedOutbox(bool wedged) : IOutbox
{
    public ulong LastDurableSequence => 7;

    public ulong LastAcknowledgedSequence => 5;

    public string Epoch => "test";

    public ValueTask<ulong> AppendAsync(OutboxBatch batch, CancellationToken cancellationToken) => throw Failure();

    public async ValueTask<IReadOnlyList<StoredBatch>> ReadAsync(ulong afterSequence, int maxCount, CancellationToken cancellationToken)
    {
        if (wedged)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        throw Failure();
    }

    public async ValueTask ProbeAsync(CancellationToken cancellationToken) => await ReadAsync(LastAcknowledgedSequence, 1, cancellationToken);

    public ValueTask AcknowledgeAsync(ulong sequence, CancellationToken cancellationToken) => throw Failure();

    public ValueTask EnsureSequenceAboveAsync(ulong sequence, CancellationToken cancellationToken) => throw Failure();

    public ValueTask RenumberAboveAsync(ulong sequence, CancellationToken cancellationToken) => throw Failure();

    public Task WaitForSequenceAsync(ulong sequence, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    public OutboxStats GetStats() => new(2, 100, 0, 4096, 7, 5);

    public void ForgetReads()
    {
    }

    private static InvalidOperationException Failure() =>
        new("the outbox stopped after a storage failure", new IOException("No space left on device"));
}
