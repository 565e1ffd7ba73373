namespace EdgeCloud.Edge.OpcUa.Tests.Types;

/// <summary>The <c>nsu=</c> node id form: parsing, and resolution through a NamespaceArray.</summary>
public sealed class NodeIdReferenceTests
{
    private static readonly string[] Namespaces = ["http://opcfoundation.org/UA/", "urn:server", "urn:edgecloud:test", "urn:a;b"];

    [Theory]
    [InlineData("nsu=urn:edgecloud:test;s=Counter", "ns=2;s=Counter")]
    [InlineData("nsu=urn:server;i=1001", "ns=1;i=1001")]
    [InlineData("nsu=urn:a%3Bb;s=X", "ns=3;s=X")]
    [InlineData("ns=7;s=Plain", "ns=7;s=Plain")]
    public void Resolve_KnownUri_GivesTheServersIndex(string text, string expected)
    {
        var reference = NodeIdReference.Parse(text);

        Assert.Equal(NodeId.Parse(expected), reference.Resolve(Namespaces));
    }

    [Fact]
    public void Resolve_UriNotOnTheServer_BadNodeIdUnknownNamingTheUri()
    {
        var error = Assert.Throws<UaStatusException>(() => NodeIdReference.Parse("nsu=urn:elsewhere;s=Counter").Resolve(Namespaces));

        Assert.Equal(StatusCodes.BadNodeIdUnknown, error.StatusCode);
        Assert.Contains("urn:elsewhere", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nsu=;s=Counter", "namespace URI")]
    [InlineData("nsu=urn:edgecloud:test", "namespace URI")]
    [InlineData("nsu=urn:edgecloud:test;ns=2;s=Counter", "not both")]
    [InlineData("nsu=urn:edgecloud:test;x=1", "'x=1'")]
    public void Parse_Malformed_FormatExceptionSayingWhat(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => NodeIdReference.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
