using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Tests.Peers;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.OpcUa.Tests.Client;

[Collection(NodeOpcuaCollection.Name)]
public sealed class UaSessionTests(NodeOpcuaFixture fixture)
{
    private static readonly NodeId Temperature = NodeId.Parse("ns=2;s=Temperature");

    internal static Task<UaSession> ConnectAsync(NodeOpcuaServer server, UaSessionOptions? options = null) =>
        UaSession.ConnectAsync(server.EndpointUrl, options ?? new UaSessionOptions(), TimeProvider.System, NullLogger.Instance, CancellationToken.None);

    [Fact]
    public async Task GetEndpoints_NodeOpcua_ListsNoneAndBasic256Sha256()
    {
        var endpoints = await UaSession.GetEndpointsAsync(fixture.Server.EndpointUrl, new(), TimeProvider.System, NullLogger.Instance, CancellationToken.None);

        Assert.Contains(endpoints, e => e.SecurityMode == MessageSecurityMode.None);
        Assert.Contains(endpoints, e => e.SecurityMode == MessageSecurityMode.SignAndEncrypt && e.SecurityPolicyUri!.EndsWith("#Basic256Sha256", StringComparison.Ordinal));
        Assert.All(endpoints, e => Assert.NotNull(e.ServerCertificate));
    }

    [Fact]
    public async Task ReadAsync_ChangingVariables_ReturnsTypedValues()
    {
        await using var session = await ConnectAsync(fixture.Server);
        var values = await session.ReadAsync(
            [new(Temperature), new(NodeId.Parse("ns=2;s=Counter")), new(NodeId.Parse("ns=2;s=Running")), new(NodeId.Parse("ns=2;s=Status")), new(NodeId.Parse("ns=2;s=Profile"))],
            CancellationToken.None);

        Assert.All(values, v => Assert.True(StatusCodes.IsGood(v.Status), StatusCodes.Name(v.Status)));
        Assert.IsType<double>(values[0].Value.Value);
        Assert.IsType<int>(values[1].Value.Value);
        Assert.IsType<bool>(values[2].Value.Value);
        Assert.StartsWith("tick-", (string)values[3].Value.Value!, StringComparison.Ordinal);
        var profile = Assert.IsType<double[]>(values[4].Value.Value);
        Assert.Equal(3, profile.Length);
        Assert.Equal(profile[0] + 0.5, profile[1]);
        Assert.NotNull(values[0].SourceTimestamp);
        await session.CloseAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ReadAsync_UnknownNode_ReturnsBadNodeIdUnknown()
    {
        await using var session = await ConnectAsync(fixture.Server);

        var value = await session.ReadValueAsync(NodeId.Parse("ns=2;s=NoSuchNode"), CancellationToken.None);

        Assert.Equal(StatusCodes.BadNodeIdUnknown, value.Status);
    }

    [Fact]
    public async Task WriteAsync_WritableNode_ReadsBackWrittenValue()
    {
        await using var session = await ConnectAsync(fixture.Server);
        var setpoint = NodeId.Parse("ns=2;s=Setpoint");

        var results = await session.WriteAsync([new WriteValue(setpoint, DataValue.FromValue(Variant.From(73.25)))], CancellationToken.None);
        var label = await session.WriteAsync([new WriteValue(NodeId.Parse("ns=2;s=Label"), DataValue.FromValue(Variant.From("hé, ünïcode")))], CancellationToken.None);

        Assert.Equal(StatusCodes.Good, results[0]);
        Assert.Equal(StatusCodes.Good, label[0]);
        Assert.Equal(73.25, (await session.ReadValueAsync(setpoint, CancellationToken.None)).Value.Value);
        Assert.Equal("hé, ünïcode", (await session.ReadValueAsync(NodeId.Parse("ns=2;s=Label"), CancellationToken.None)).Value.Value);
    }

    [Fact]
    public async Task WriteAsync_ReadOnlyNode_ReturnsBadStatus()
    {
        await using var session = await ConnectAsync(fixture.Server);

        var results = await session.WriteAsync([new WriteValue(Temperature, DataValue.FromValue(Variant.From(1.0)))], CancellationToken.None);

        Assert.True(StatusCodes.IsBad(results[0]));
    }

    [Fact]
    public async Task BrowseAsync_PlantObject_ListsItsVariables()
    {
        await using var session = await ConnectAsync(fixture.Server);

        var references = await session.BrowseAsync(NodeId.Parse("ns=2;s=Plant"), CancellationToken.None);

        var names = references.Select(r => r.BrowseName.Name).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Temperature", "Counter", "Running", "Status", "Profile", "Setpoint" }, names);
    }

    [Fact]
    public async Task BrowseAsync_SmallPages_FollowsContinuationPoints()
    {
        await using var session = await ConnectAsync(fixture.Server);

        var paged = await session.BrowseAsync(NodeId.Parse("ns=2;s=Plant"), CancellationToken.None, maxReferencesPerCall: 2);
        var whole = await session.BrowseAsync(NodeId.Parse("ns=2;s=Plant"), CancellationToken.None);

        Assert.Equal(whole.Select(r => r.NodeId.ToString()).Order(), paged.Select(r => r.NodeId.ToString()).Order());
        Assert.True(paged.Count > 2);
    }

    [Fact]
    public async Task TranslateAsync_BrowsePath_ResolvesNodeId()
    {
        await using var session = await ConnectAsync(fixture.Server);

        var results = await session.TranslateAsync(
            [new BrowsePath(UaSession.ObjectsFolder, [new QualifiedName(2, "Plant"), new QualifiedName(2, "Temperature")]),
             new BrowsePath(UaSession.ObjectsFolder, [new QualifiedName(2, "Plant"), new QualifiedName(2, "Missing")])],
            CancellationToken.None);

        Assert.Equal(Temperature, Assert.Single(results[0].Targets).NodeId);
        Assert.True(StatusCodes.IsBad(results[1].StatusCode));
        Assert.Empty(results[1].Targets);
    }

    [Fact]
    public async Task ConnectAsync_UserNameIdentityOnNone_ActivatesWithEncryptedPassword()
    {
        await using var session = await ConnectAsync(fixture.Server, new UaSessionOptions { Identity = new UaIdentity(NodeOpcuaServer.UserName, NodeOpcuaServer.Password) });

        var value = await session.ReadValueAsync(Temperature, CancellationToken.None);

        Assert.True(StatusCodes.IsGood(value.Status));
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_ThrowsIdentityRejected()
    {
        var error = await Assert.ThrowsAsync<UaStatusException>(() =>
            ConnectAsync(fixture.Server, new UaSessionOptions { Identity = new UaIdentity(NodeOpcuaServer.UserName, "wrong") }));

        Assert.True(StatusCodes.IsBad(error.StatusCode));
    }

    [Fact]
    public async Task ConnectAsync_NoServer_ThrowsNotConnected()
    {
        var error = await Assert.ThrowsAsync<UaStatusException>(() =>
            UaSession.ConnectAsync("opc.tcp://127.0.0.1:1/x", new UaSessionOptions(), TimeProvider.System, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(StatusCodes.BadNotConnected, error.StatusCode);
    }
}
