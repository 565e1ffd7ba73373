using EdgeCloud.Hub.Server;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Tests.Server;

public sealed class HubApplicationTests
{
    [Fact]
    public async Task Create_DefaultConfiguration_KeepAlivePingsFromAppSettings()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path);

        var http2 = hub.App.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.Http2;

        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20)), (http2.KeepAlivePingDelay, http2.KeepAlivePingTimeout));
    }

    [Fact]
    public async Task Create_RelativeDataDirectory_ResolvedFromContentRoot()
    {
        using var data = new TempDirectory();
        var relative = Path.GetRelativePath(AppContext.BaseDirectory, data.Path);
        await using var hub = await TestHub.StartAsync(relative);

        Assert.True(File.Exists(Path.Combine(data.Path, "hub.db")));
        Assert.Equal(data.Path, hub.App.Services.GetRequiredService<IOptions<HubStorageOptions>>().Value.ResolveDataDirectory(hub.App.Environment));
    }

    [Fact]
    public async Task Create_MessageLimit_IsTheGrpcReceiveLimitAndOneBelowGrpcsDefaultFailsAtStart()
    {
        using var data = new TempDirectory();
        await using (var hub = await TestHub.StartAsync(data.Path, null, "--Ingest:MaxReceiveMessageBytes=8388608"))
        {
            Assert.Equal(8388608, hub.App.Services.GetRequiredService<IOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>>().Value.MaxReceiveMessageSize);
        }

        // Refused as the hub is composed (something resolves the options while it is built) or at its start.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = HubApplication.Create([$"--Storage:DataDirectory={data.Path}", "--Kestrel:Endpoints:Api:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Sync:Url=http://127.0.0.1:0", "--Fleet:Mode=InsecureDevelopment", "--Ingest:MaxReceiveMessageBytes=1048576"]);
            await app.StartAsync();
        });
        Assert.Contains("MaxReceiveMessageBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_EmptyDataDirectory_FailsAtStart()
    {
        var app = HubApplication.Create(["--Storage:DataDirectory=", "--Kestrel:Endpoints:Api:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Sync:Url=http://127.0.0.1:0", "--Fleet:Mode=InsecureDevelopment"]);
        await using (app)
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("DataDirectory", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_InMemoryProvider_WritesNoDatabase()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path, extraArgs: "--Storage:Provider=InMemory");
        using var stream = await hub.ConnectAsync("agent-a");

        Assert.Equal(1UL, await stream.SendBatchAsync(Batches.Numbers(1, "plc1/t", Batches.BaseNanos, 1)));
        Assert.False(File.Exists(Path.Combine(data.Path, "hub.db")));
    }
}
