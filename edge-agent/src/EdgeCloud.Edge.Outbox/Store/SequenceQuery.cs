using LiteDB;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// Range queries on a batch's sequence (<c>_id</c>) with the value as a parameter.
/// </summary>
/// <remarks>
/// LiteDB's <c>Query.GT("_id", value)</c> writes the value into the expression's text, and LiteDB
/// compiles every distinct text into a delegate kept in a static cache that never evicts (LiteDB
/// issues 1688 and 2421). The outbox asks with a new sequence at every acknowledgement and read,
/// so that cost the JIT's time on every call (a fifth of the agent's CPU at 100k points/s) and
/// grew the process by a compiled method each time. With <c>@0</c> the text stays the same and
/// LiteDB compiles it once.
/// </remarks>
internal static class SequenceQuery
{
    /// <summary>Batches whose sequence is above <paramref name="sequence"/>.</summary>
    public static BsonExpression Above(long sequence) => BsonExpression.Create("_id > @0", new BsonValue(sequence));

    /// <summary>Batches whose sequence is <paramref name="sequence"/> or below.</summary>
    public static BsonExpression AtMost(long sequence) => BsonExpression.Create("_id <= @0", new BsonValue(sequence));
}
