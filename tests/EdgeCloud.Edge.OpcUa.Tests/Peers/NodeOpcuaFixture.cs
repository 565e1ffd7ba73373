namespace EdgeCloud.Edge.OpcUa.Tests.Peers;

/// <summary>One node-opcua server shared by the tests of a collection (starting one takes seconds).</summary>
public sealed class NodeOpcuaFixture : IAsyncLifetime
{
    public NodeOpcuaServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await NodeOpcuaServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The collection that shares <see cref="NodeOpcuaFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class NodeOpcuaCollection : ICollectionFixture<NodeOpcuaFixture>
{
    public const string Name = "node-opcua";
}
