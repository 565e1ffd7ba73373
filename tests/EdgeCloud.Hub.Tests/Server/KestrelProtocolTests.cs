using System.Net;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeCloud.Hub.Tests.Server;

/// <summary>
/// The experiment behind the hub's two endpoints: without TLS, Kestrel cannot tell an HTTP/2 client from
/// an HTTP/1.1 one (there is no ALPN), so an endpoint with Http1AndHttp2 speaks HTTP/1.1 only and a
/// prior-knowledge (h2c) gRPC call to it fails; an Http2-only endpoint serves h2c gRPC. If a future
/// Kestrel changes this, the first test fails and the hub could serve both on one URL.
/// </summary>
public sealed class KestrelProtocolTests : IAsyncLifetime, IDisposable
{
    private const long Http11Required = 0xd;

    private readonly TempDirectory _data = new();
    private TestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await TestHub.StartAsync(_data.Path);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Http1AndHttp2CleartextEndpoint_H2cGrpcCall_Fails()
    {
        using var channel = GrpcChannel.ForAddress(_hub.ApiUri, new GrpcChannelOptions { MaxRetryAttempts = 0 });
        using var call = new FleetSync.FleetSyncClient(channel).Connect();

        var error = await Record.ExceptionAsync(async () =>
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { AgentId = "probe", ProtocolVersion = SyncProtocol.Version } });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await call.ResponseStream.MoveNext(timeout.Token);
        });

        // Kestrel reads the HTTP/2 preface and closes the connection with GOAWAY HTTP_1_1_REQUIRED (0xd);
        // depending on which side of the call notices first, gRPC reports it as the protocol error or an RpcException.
        Assert.NotNull(error);
        var protocolError = error as HttpProtocolException ?? error.InnerException as HttpProtocolException;
        Assert.True(
            protocolError?.ErrorCode == Http11Required || (error is RpcException rpc && rpc.StatusCode != StatusCode.OK && rpc.StatusCode != StatusCode.DeadlineExceeded),
            $"unexpected failure: {error}");
    }

    [Fact]
    public async Task Http1AndHttp2CleartextEndpoint_Http11Request_IsServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz") { Version = HttpVersion.Version11 };

        using var response = await _hub.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task Http2OnlyCleartextEndpoint_H2cGrpcCall_IsServed()
    {
        using var stream = await _hub.ConnectAsync("probe");

        Assert.Equal(SyncProtocol.Version, stream.Welcome.ProtocolVersion);
    }

    [Fact]
    public async Task Http2OnlyCleartextEndpoint_Http11Request_Gets400()
    {
        using var client = new HttpClient { BaseAddress = _hub.SyncUri, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.SendAsync(request);

        // Kestrel answers in HTTP/1.1: "An HTTP/1.x request was sent to an HTTP/2 only endpoint."
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTP/2 only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
