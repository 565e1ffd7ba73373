using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Tests.Fakes;
using EdgeCloud.Edge.OpcUa.Tests.Peers;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.OpcUa.Tests.Hosting;

[Collection(NodeOpcuaCollection.Name)]
public sealed class OpcUaHostingExtensionsTests(NodeOpcuaFixture fixture)
{
    [Fact]
    public async Task AddOpcUaSources_SiteWithOpcUaDevice_PublishesPointsAndCreatesPkiUnderDataFolder()
    {
        var data = Directory.CreateTempSubdirectory("edgecloud-opcua-host-").FullName;
        try
        {
            var device = OpcUaDeviceRunnerTests.Device(fixture.Server.EndpointUrl) with
            {
                SecurityPolicy = "Basic256Sha256",
                SecurityMode = OpcUaSecurityMode.SignAndEncrypt,
                AllowUnknownServerCertificate = true,
            };
            var site = new SiteConfig([device]);
            var config = new AgentConfig("agent-1", data, new HubLinkConfig(new Uri("http://127.0.0.1:1"), 1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)),
                new OutboxConfig(100, TimeSpan.FromSeconds(1), 1 << 20), site, "test");
            var sink = new CollectingPointSink();
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddSingleton(config);
            builder.Services.AddSingleton(site);
            builder.Services.AddSingleton<IPointSink>(sink);
            builder.AddOpcUaSources();
            using var host = builder.Build();

            await host.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!sink.Points.Any(p => p.Tag == "temperature" && p.Quality == PointQuality.Good) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            await host.StopAsync();

            Assert.Contains(sink.Points, p => p is { Device: "plc1", Tag: "temperature", Quality: PointQuality.Good, Value.Kind: TagValueKind.Number });
            Assert.Single(Directory.GetFiles(Path.Combine(data, "pki", "opcua", "own", "certs")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
