using EdgeCloud.Edge.Configuration;
using static EdgeCloud.Edge.Tests.Configuration.SiteParsing;

namespace EdgeCloud.Edge.Tests.Configuration;

/// <summary>The loader's <c>opcua</c> devices: endpoint, security, identity and tags, and errors that name file, path and reason.</summary>
public sealed class ConfigLoaderOpcUaTests
{
    private const string Device = """
        {
          "name": "line1", "protocol": "opcua", "endpoint": "opc.tcp://plc1:4840/UA/Line",
          "securityPolicy": "Basic256Sha256", "securityMode": "SignAndEncrypt",
          "identity": { "userName": "operator", "password": "secret" },
          "allowUnknownServerCertificate": false, "publishingIntervalMs": 250, "sessionTimeoutMs": 30000,
          "tags": [
            { "name": "temperature", "nodeId": "ns=2;s=Plant.Temperature", "samplingIntervalMs": 100, "deadband": "absolute", "deadbandValue": 0.5 },
            { "name": "level", "browsePath": "2:Plant/2:Tank/2:Level", "deadband": "percent", "deadbandValue": 2, "queueSize": 5 },
            { "name": "running", "nodeId": "i=2259", "trigger": "statusValueTimestamp", "watchdogMs": 60000 }
          ]
        }
        """;

    [Fact]
    public void TryParseSite_OpcUaDevice_ReadsEveryField()
    {
        var device = Assert.IsType<OpcUaDeviceConfig>(Assert.Single(Parse(Device).Devices));

        Assert.Equal(("line1", "opcua", "opc.tcp://plc1:4840/UA/Line"), (device.Name, device.Protocol, device.EndpointUrl));
        Assert.Equal(("Basic256Sha256", OpcUaSecurityMode.SignAndEncrypt), (device.SecurityPolicy, device.SecurityMode));
        Assert.Equal(("operator", "secret"), (device.UserName, device.Password));
        Assert.False(device.AllowUnknownServerCertificate);
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30)), (device.PublishingInterval, device.SessionTimeout));
        Assert.Equal(["temperature", "level", "running"], device.Tags.Select(t => t.Name));
        Assert.Equal(("ns=2;s=Plant.Temperature", OpcUaDeadband.Absolute, 0.5), (device.Tags[0].NodeId, device.Tags[0].Deadband, device.Tags[0].DeadbandValue));
        Assert.Equal(("2:Plant/2:Tank/2:Level", OpcUaDeadband.Percent, 5u), (device.Tags[1].BrowsePath, device.Tags[1].Deadband, device.Tags[1].QueueSize));
        Assert.Equal((OpcUaTrigger.StatusValueTimestamp, TimeSpan.FromMinutes(1)), (device.Tags[2].Trigger, device.Tags[2].Watchdog));
    }

    [Fact]
    public void TryParseSite_MinimalOpcUaDevice_DefaultsToNoneAnonymousAndRefusesUnknownCertificates()
    {
        var device = Assert.IsType<OpcUaDeviceConfig>(Assert.Single(Parse("""
            { "name": "p", "protocol": "opcua", "endpoint": "opc.tcp://10.0.0.9:4840", "tags": [ { "name": "t", "nodeId": "ns=2;i=7" } ] }
            """).Devices));

        Assert.Equal(("None", OpcUaSecurityMode.None, (string?)null), (device.SecurityPolicy, device.SecurityMode, device.UserName));
        Assert.False(device.AllowUnknownServerCertificate);
        Assert.Equal((TimeSpan.FromMilliseconds(500), 10u, OpcUaTrigger.StatusValue, (TimeSpan?)null),
            (device.Tags[0].SamplingInterval, device.Tags[0].QueueSize, device.Tags[0].Trigger, device.Tags[0].Watchdog));
    }

    [Fact]
    public void TryParseSite_Aes128PolicyAndNamespaceUriNodeId_Accepted()
    {
        var device = Assert.IsType<OpcUaDeviceConfig>(Assert.Single(Parse(Device
            .Replace("\"Basic256Sha256\"", "\"Aes128_Sha256_RsaOaep\"", StringComparison.Ordinal)
            .Replace("ns=2;s=Plant.Temperature", "nsu=urn:plant:line1;s=Plant.Temperature", StringComparison.Ordinal)).Devices));

        Assert.Equal("Aes128_Sha256_RsaOaep", device.SecurityPolicy);
        Assert.Equal("nsu=urn:plant:line1;s=Plant.Temperature", device.Tags[0].NodeId);
    }

    [Theory]
    [InlineData("\"nodeId\": \"ns=2;s=Plant.Temperature\"", "\"nodeId\": \"nsu=;s=Plant.Temperature\"", "$.devices[0].tags[0].nodeId", "nsu=URI;")]
    [InlineData("\"endpoint\": \"opc.tcp://plc1:4840/UA/Line\"", "\"endpoint\": \"http://plc1\"", "$.devices[0].endpoint", "not an OPC UA endpoint URL")]
    [InlineData("\"securityPolicy\": \"Basic256Sha256\"", "\"securityPolicy\": \"Aes512\"", "$.devices[0].securityPolicy", "unknown value 'Aes512'")]
    [InlineData("\"securityPolicy\": \"Basic256Sha256\"", "\"securityPolicy\": \"Basic128Rsa15\"", "$.devices[0].securityPolicy", "deprecated")]
    [InlineData("\"securityPolicy\": \"Basic256Sha256\"", "\"securityPolicy\": \"None\"", "$.devices[0].securityMode", "does not go with policy None")]
    [InlineData("\"securityMode\": \"SignAndEncrypt\"", "\"securityMode\": \"Encrypt\"", "$.devices[0].securityMode", "unknown value 'Encrypt'")]
    [InlineData("\"password\": \"secret\"", "\"pass\": \"secret\"", "$.devices[0].identity.password", "is required")]
    [InlineData("\"allowUnknownServerCertificate\": false", "\"allowUnknownServerCertificate\": \"no\"", "$.devices[0].allowUnknownServerCertificate", "expected true or false")]
    [InlineData("\"nodeId\": \"ns=2;s=Plant.Temperature\"", "\"nodeId\": \"Plant.Temperature\"", "$.devices[0].tags[0].nodeId", "not a node id")]
    [InlineData("\"browsePath\": \"2:Plant/2:Tank/2:Level\"", "\"browsePath\": \"2:Plant//x:Level\"", "$.devices[0].tags[1].browsePath", "not a browse path")]
    [InlineData("\"browsePath\": \"2:Plant/2:Tank/2:Level\"", "\"nodeId\": \"i=1\", \"browsePath\": \"2:Plant\"", "$.devices[0].tags[1]", "exactly one of nodeId")]
    [InlineData("\"deadbandValue\": 2,", "\"deadbandValue\": 150,", "$.devices[0].tags[1].deadbandValue", "at most 100")]
    [InlineData(", \"deadbandValue\": 0.5", "", "$.devices[0].tags[0].deadbandValue", "is required when deadband is absolute")]
    [InlineData("\"name\": \"level\"", "\"name\": \"temperature\"", "$.devices[0].tags[1].name", "used twice")]
    [InlineData("\"watchdogMs\": 60000", "\"watchdog\": 60000", "$.devices[0].tags[2].watchdog", "unknown property")]
    public void TryParseSite_BadOpcUaField_NamesPathAndReason(string good, string bad, string path, string reason)
    {
        var error = ErrorAt(Device, good, bad, path, reason);

        Assert.Equal("test", error.File);
    }

    [Fact]
    public void TryParseSite_DeprecatedPolicyAllowedForTheEndpoint_IsAccepted()
    {
        var device = Assert.IsType<OpcUaDeviceConfig>(Assert.Single(Parse(Device.Replace(
            "\"securityPolicy\": \"Basic256Sha256\"", "\"securityPolicy\": \"Basic256\", \"allowDeprecatedPolicy\": true", StringComparison.Ordinal)).Devices));

        Assert.True(device.AllowDeprecatedPolicy);
    }
}
