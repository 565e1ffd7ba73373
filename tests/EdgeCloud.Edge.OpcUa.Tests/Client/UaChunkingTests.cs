using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Tests.Peers;
using EdgeCloud.Edge.OpcUa.Transport;

namespace EdgeCloud.Edge.OpcUa.Tests.Client;

[Collection(NodeOpcuaCollection.Name)]
public sealed class UaChunkingTests(NodeOpcuaFixture fixture)
{
    private static ReadValueId[] ManyReads(int count) =>
        Enumerable.Range(0, count).Select(i => new ReadValueId(NodeId.Parse(i % 2 == 0 ? "ns=2;s=Temperature" : "ns=2;s=Status"))).ToArray();

    [Fact]
    public async Task ReadAsync_RequestAndResponseLargerThanOneChunk_SplitsAndReassembles()
    {
        var small = new UaChannelOptions { Transport = new TransportLimits { ReceiveBufferSize = 8192, SendBufferSize = 8192 } };
        await using var session = await UaSessionTests.ConnectAsync(fixture.Server, new UaSessionOptions { Channel = small });

        var values = await session.ReadAsync(ManyReads(3000), CancellationToken.None);

        Assert.Equal(3000, values.Length);
        Assert.All(values, v => Assert.True(StatusCodes.IsGood(v.Status)));
        Assert.IsType<string>(values[2999].Value.Value);
    }

    [Fact]
    public async Task ReadAsync_ResponseBeyondOurMessageLimit_FailsWithTypedErrorAndSessionSurvives()
    {
        var tight = new UaChannelOptions { Transport = new TransportLimits { ReceiveBufferSize = 8192, SendBufferSize = 8192, MaxChunkCount = 4, MaxMessageSize = 32_000 } };
        await using var session = await UaSessionTests.ConnectAsync(fixture.Server, new UaSessionOptions { Channel = tight });

        var error = await Assert.ThrowsAsync<UaStatusException>(() => session.ReadAsync(ManyReads(5000), CancellationToken.None));

        Assert.True(StatusCodes.IsBad(error.StatusCode));
    }
}
