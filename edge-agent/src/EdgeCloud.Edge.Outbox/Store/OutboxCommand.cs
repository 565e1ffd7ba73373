namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>Work for the outbox's writer thread; each command completes its own task.</summary>
internal abstract class OutboxCommand
{
    public abstract void Fail(Exception error);
}

/// <summary>A command whose completion carries a result.</summary>
internal abstract class OutboxCommand<T> : OutboxCommand
{
    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Fail(Exception error) => Completion.TrySetException(error);
}

internal sealed class AppendCommand(OutboxBatch batch) : OutboxCommand<ulong>
{
    public OutboxBatch Batch { get; } = batch;

    /// <summary>The sequence it was made durable with (0 until then).</summary>
    public ulong Sequence { get; set; }

    /// <summary>The batch's age stamp when it is moved rather than new (see the TTL rule); null: now.</summary>
    public long? AgeStamp { get; init; }
}

internal sealed class ReadCommand(ulong after, int maxCount, bool handOut = true) : OutboxCommand<IReadOnlyList<StoredBatch>>
{
    public ulong After { get; } = after;

    public int MaxCount { get; } = maxCount;

    /// <summary>True for a reader that may send what it read (the sync client); false for a probe.</summary>
    public bool HandOut { get; } = handOut;
}

internal sealed class AcknowledgeCommand(ulong sequence) : OutboxCommand<bool>
{
    public ulong Sequence { get; } = sequence;
}

internal sealed class EnsureAboveCommand(ulong sequence, bool renumberAll = false) : OutboxCommand<bool>
{
    public ulong Sequence { get; } = sequence;

    public bool RenumberAll { get; } = renumberAll;
}
