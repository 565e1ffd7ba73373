namespace EdgeCloud.Packaging.Tests.Deb;

/// <summary>Tests that share one built edge-agent package (building it is the slow part).</summary>
[CollectionDefinition(Name)]
public sealed class AgentDebCollection : ICollectionFixture<AgentDebFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "agent deb";
}
