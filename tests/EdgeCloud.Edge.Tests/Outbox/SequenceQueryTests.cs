using System.Collections;
using System.Reflection;
using EdgeCloud.Edge.Outbox.Store;
using LiteDB;

namespace EdgeCloud.Edge.Tests.Outbox;

public sealed class SequenceQueryTests
{
    [Fact]
    public void AboveAndAtMost_ManySequences_SelectTheRangeAndCompileOneExpressionEach()
    {
        using var db = new LiteDatabase(new MemoryStream());
        var batches = db.GetCollection("batches");
        for (var id = 1L; id <= 50; id++)
        {
            batches.Insert(new BsonDocument { ["_id"] = id });
        }

        // Warm both texts, then count LiteDB's compiled-expression cache (a private static map in
        // LiteDB 5.0.20, the only version served): asking with new values must not grow it.
        Assert.Equal(40, batches.Count(SequenceQuery.Above(10)));
        Assert.Equal(10, batches.Count(SequenceQuery.AtMost(10)));
        var before = CompiledExpressions();

        for (var sequence = 11L; sequence < 50; sequence++)
        {
            Assert.Equal(50 - sequence, batches.Count(SequenceQuery.Above(sequence)));
            Assert.Equal(sequence, batches.Find(SequenceQuery.AtMost(sequence)).Count());
        }

        Assert.Equal(before, CompiledExpressions());
        Assert.Equal(5, batches.DeleteMany(SequenceQuery.AtMost(5)));
        Assert.Equal([6L, 7L], batches.Find(SequenceQuery.Above(0), 0, 2).Select(d => d["_id"].AsInt64));
    }

    private static int CompiledExpressions()
    {
        var field = typeof(BsonExpression).GetField("_cacheScalar", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("LiteDB's BsonExpression has no _cacheScalar field: this test was written against LiteDB 5.0.20");
        return ((ICollection)field.GetValue(null)!).Count;
    }
}
