namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>The test classes that share one <see cref="PostgresServer"/> (one server per run; a database per test).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
