namespace EdgeCloud.Hub.Storage.Replicas;

/// <summary>
/// Short messages between the hub replicas that share one database: the seam for routing a command to the
/// replica that holds an agent's stream, or a live update to the replica that serves a browser. Delivery is
/// at-most-once and only to replicas listening at the time (PostgreSQL LISTEN/NOTIFY semantics): a message is
/// a hint to look in the database, never the only copy of anything. Payloads are at most
/// <see cref="MaxPayloadBytes"/> bytes of UTF-8. With SQLite or in memory there is one hub, so messages go
/// to the subscribers of this process.
/// </summary>
public interface IReplicaBus
{
    /// <summary>The largest payload (with its topic), bounded by PostgreSQL's NOTIFY limit of 8000 bytes.</summary>
    const int MaxPayloadBytes = 7000;

    /// <summary>Sends <paramref name="payload"/> on <paramref name="topic"/> to every replica (this one included).</summary>
    ValueTask PublishAsync(string topic, string payload, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="handler"/> for each message on <paramref name="topic"/> until the result is disposed.</summary>
    IDisposable Subscribe(string topic, Func<string, CancellationToken, ValueTask> handler);

    /// <summary>
    /// Calls <paramref name="handler"/> each time this replica may have missed messages: when it listens again after
    /// it could not (a lost connection), or after it dropped messages because its handlers fell behind. The handler
    /// catches up from the database. Not called for the first start. Until the result is disposed.
    /// </summary>
    IDisposable OnResumed(Func<CancellationToken, ValueTask> handler);
}
