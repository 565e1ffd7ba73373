namespace EdgeCloud.Edge.Outbox;

/// <summary>
/// The store-and-forward outbox. Invariants: a batch gets its sequence number when it becomes
/// durable (it survives a crash and a power loss from then on); sequences are strictly increasing
/// per agent and never reused, even after every batch was acknowledged; a batch is deleted only
/// after the hub acknowledged it.
/// </summary>
public interface IOutbox
{
    /// <summary>Highest sequence made durable so far (0 when none ever was).</summary>
    ulong LastDurableSequence { get; }

    /// <summary>Highest sequence the hub acknowledged (0 when none).</summary>
    ulong LastAcknowledgedSequence { get; }

    /// <summary>Identifies this outbox's lifetime: a new one after the data folder was wiped.</summary>
    string Epoch { get; }

    /// <summary>Makes <paramref name="batch"/> durable and returns the sequence it was given.</summary>
    ValueTask<ulong> AppendAsync(OutboxBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> stored batches with a sequence above <paramref name="afterSequence"/>, in order.
    /// What was read counts as possibly in flight until acknowledged or <see cref="ForgetReads"/>:
    /// the disk budget drops nothing while such batches wait.
    /// </summary>
    ValueTask<IReadOnlyList<StoredBatch>> ReadAsync(ulong afterSequence, int maxCount, CancellationToken cancellationToken);

    /// <summary>
    /// A health probe: completes once the writer handled everything queued before it and read the oldest waiting
    /// batch back; fails as the writer's commands fail. Unlike <see cref="ReadAsync"/> it hands nothing out, so
    /// probing a disconnected agent (a monitor polling <c>/healthz</c> through an outage) never holds back the disk budget.
    /// </summary>
    ValueTask ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Deletes every batch at or below <paramref name="sequence"/> (the hub has it).</summary>
    ValueTask AcknowledgeAsync(ulong sequence, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the next sequence greater than <paramref name="sequence"/>: the hub already holds that
    /// many from this agent (its outbox was wiped), and reusing them would be dropped as duplicates.
    /// </summary>
    ValueTask EnsureSequenceAboveAsync(ulong sequence, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a new life above the hub's mark: every waiting batch gets a new sequence above both
    /// <paramref name="sequence"/> and the durable mark, in order, and the old copies go. Called when
    /// the hub holds sequences from another outbox epoch (a wiped data folder): none of this
    /// outbox's batches reached the hub yet, so moving them all is safe, and it stays safe if it
    /// runs again before the hub stored one of them.
    /// </summary>
    ValueTask RenumberAboveAsync(ulong sequence, CancellationToken cancellationToken);

    /// <summary>
    /// The reader's session ended: batches read but not acknowledged are no longer protected from
    /// the disk budget. The hub may hold some of them, so a drop right after may count up to one
    /// send window of points the hub did store (an over-count, never an under-count of the loss).
    /// </summary>
    void ForgetReads();

    /// <summary>Completes when <see cref="LastDurableSequence"/> reaches at least <paramref name="sequence"/>.</summary>
    Task WaitForSequenceAsync(ulong sequence, CancellationToken cancellationToken);

    /// <summary>Current depth and size, for health and metrics.</summary>
    OutboxStats GetStats();
}
