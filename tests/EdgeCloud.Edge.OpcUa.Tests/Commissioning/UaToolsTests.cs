using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Commissioning;
using EdgeCloud.Edge.OpcUa.Tests.Peers;

namespace EdgeCloud.Edge.OpcUa.Tests.Commissioning;

[Collection(NodeOpcuaCollection.Name)]
public sealed class UaToolsTests(NodeOpcuaFixture fixture) : IDisposable
{
    private readonly string _pki = Path.Combine(Path.GetTempPath(), "edgecloud-opcua-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_pki))
        {
            Directory.Delete(_pki, recursive: true);
        }
    }

    [Fact]
    public async Task BrowseTool_ObjectsFolder_PrintsNodeIdsAndBrowsePathsForTags()
    {
        var output = new StringWriter();

        var exit = await UaBrowseTool.RunAsync(new UaCliTarget(fixture.Server.EndpointUrl, PkiFolder: _pki), NodeId.Parse("i=85"), 2, output, TextWriter.Null, TimeProvider.System, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("nodeId=ns=2;s=Temperature  browsePath=2:Plant/2:Temperature", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadTool_BrowsePath_PrintsValueTypeAndStatus()
    {
        var output = new StringWriter();

        var exit = await UaReadTool.RunAsync(new UaCliTarget(fixture.Server.EndpointUrl, PkiFolder: _pki), "2:Plant/2:Counter", output, TextWriter.Null, TimeProvider.System, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("type:      Int32", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("status:    Good", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadTool_NamespaceUriNodeId_ResolvesThroughTheNamespaceArray()
    {
        var output = new StringWriter();

        var exit = await UaReadTool.RunAsync(new UaCliTarget(fixture.Server.EndpointUrl, PkiFolder: _pki), "nsu=urn:edgecloud:test;s=Counter", output, TextWriter.Null, TimeProvider.System, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("node:      ns=2;s=Counter", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("type:      Int32", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadTool_NamespaceUriNotOnServer_FailsNamingTheUri()
    {
        var error = new StringWriter();

        var exit = await UaReadTool.RunAsync(new UaCliTarget(fixture.Server.EndpointUrl, PkiFolder: _pki), "nsu=urn:nowhere;s=Counter", TextWriter.Null, error, TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("namespace 'urn:nowhere' is not in the server's NamespaceArray", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadThenTrust_UnknownCertificate_RefusedThenTrustedThenReads()
    {
        var secured = new UaCliTarget(fixture.Server.EndpointUrl, "Basic256Sha256", OpcUaSecurityMode.SignAndEncrypt, PkiFolder: _pki);
        var error = new StringWriter();

        var refused = await UaReadTool.RunAsync(secured, "ns=2;s=Temperature", TextWriter.Null, error, TimeProvider.System, CancellationToken.None);
        var list = new StringWriter();
        await UaTrustTool.RunAsync(_pki, null, list, TextWriter.Null, TimeProvider.System);
        var thumbprint = Path.GetFileNameWithoutExtension(Directory.GetFiles(Path.Combine(_pki, "rejected-pending")).Single());
        var trusted = await UaTrustTool.RunAsync(_pki, thumbprint, TextWriter.Null, TextWriter.Null, TimeProvider.System);
        var read = await UaReadTool.RunAsync(secured, "ns=2;s=Temperature", TextWriter.Null, TextWriter.Null, TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, refused);
        Assert.Contains($"edge-agent opcua trust {thumbprint}", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(thumbprint, list.ToString(), StringComparison.Ordinal);
        Assert.Equal((0, 0), (trusted, read));
    }

    [Fact]
    public async Task TrustTool_UnknownThumbprint_FailsNamingIt()
    {
        var error = new StringWriter();

        var exit = await UaTrustTool.RunAsync(_pki, "ABCDEF", TextWriter.Null, error, TimeProvider.System);

        Assert.Equal(1, exit);
        Assert.Contains("no pending certificate ABCDEF", error.ToString(), StringComparison.Ordinal);
    }
}
