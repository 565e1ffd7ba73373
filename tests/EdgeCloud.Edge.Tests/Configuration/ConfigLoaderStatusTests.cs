using System.Net;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Tests.Configuration;

public sealed class ConfigLoaderStatusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-config-status-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string status)
    {
        var path = Path.Combine(_dir, "agent.json");
        File.WriteAllText(path, $$"""
            {
              "agentId": "gw-01",
              "hub": { "url": "http://127.0.0.1:5081" },
              {{status}}
              "devices": [ { "name": "plc1", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": 5020, "tags": [ { "name": "t", "area": "holding", "address": 0, "type": "uint16" } ] } ]
            }
            """);
        return path;
    }

    [Fact]
    public void Load_NoStatusSection_DefaultsToLoopback9464()
    {
        var config = ConfigLoader.Load(Write(""));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9464), config.Status.Listen);
        Assert.Equal(new Uri("http://127.0.0.1:9464/"), config.Status.BaseUrl);
    }

    [Theory]
    [InlineData("\"127.0.0.1:19464\"", "http://127.0.0.1:19464/")]
    [InlineData("\"[::1]:9000\"", "http://[::1]:9000/")]
    public void Load_LoopbackListen_Used(string listen, string expected)
    {
        var config = ConfigLoader.Load(Write($$"""  "status": { "listen": {{listen}} },"""));

        Assert.Equal(new Uri(expected), config.Status.BaseUrl);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"off\"")]
    public void Load_ListenNullOrOff_Disabled(string listen)
    {
        var config = ConfigLoader.Load(Write($$"""  "status": { "listen": {{listen}} },"""));

        Assert.Null(config.Status.Listen);
        Assert.Null(config.Status.BaseUrl);
    }

    [Theory]
    [InlineData("\"0.0.0.0:9464\"", "not a loopback address")]
    [InlineData("\"192.168.1.5:9464\"", "not a loopback address")]
    [InlineData("\"127.0.0.1\"", "not an address with a port")]
    [InlineData("\"localhost:9464\"", "not an address with a port")]
    [InlineData("\"127.0.0.1:99999\"", "not an address with a port")]
    [InlineData("9464", "expected a string")]
    public void Load_BadListen_RefusedNamingThePath(string listen, string reason)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write($$"""  "status": { "listen": {{listen}} },""")));

        var only = Assert.Single(error.Errors);
        Assert.Equal("$.status.listen", only.Path);
        Assert.Contains(reason, only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownStatusProperty_RefusedNamingThePath()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Write("""  "status": { "listen": "127.0.0.1:9464", "port": 1 },""")));

        Assert.Equal("$.status.port", Assert.Single(error.Errors).Path);
    }
}
