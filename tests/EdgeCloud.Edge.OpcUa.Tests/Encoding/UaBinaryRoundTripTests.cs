namespace EdgeCloud.Edge.OpcUa.Tests.Encoding;

public sealed class UaBinaryRoundTripTests
{
    private static UaBinaryReader ReaderOf(Action<UaBinaryWriter> write)
    {
        var writer = new UaBinaryWriter();
        write(writer);
        return new UaBinaryReader(writer.ToArray());
    }

    public static TheoryData<string, byte[]> NodeIdForms => new()
    {
        { "i=85", [0x00, 85] },
        { "ns=2;i=1025", [0x01, 2, 0x01, 0x04] },
        { "ns=300;i=70000", [0x02, 0x2C, 0x01, 0x70, 0x11, 0x01, 0x00] },
        { "ns=2;s=A", [0x03, 2, 0, 1, 0, 0, 0, (byte)'A'] },
    };

    [Theory]
    [MemberData(nameof(NodeIdForms))]
    public void WriteNodeId_EachForm_UsesCompactEncodingAndRoundTrips(string text, byte[] expected)
    {
        var writer = new UaBinaryWriter();
        writer.WriteNodeId(NodeId.Parse(text));

        Assert.Equal(expected, writer.ToArray());
        Assert.Equal(NodeId.Parse(text), new UaBinaryReader(writer.ToArray()).ReadNodeId());
    }

    [Theory]
    [InlineData("ns=1;g=72962b91-fa75-4ae6-8d28-b404dc7daf63")]
    [InlineData("ns=4;b=AAEC/w==")]
    [InlineData("s=root")]
    public void ReadNodeId_GuidOpaqueString_RoundTrips(string text)
    {
        var id = NodeId.Parse(text);

        Assert.Equal(id, ReaderOf(w => w.WriteNodeId(id)).ReadNodeId());
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("ns=;i=1")]
    [InlineData("x=1")]
    [InlineData("i=abc")]
    [InlineData("ns=70000;i=1")]
    public void Parse_BadText_ThrowsFormatExceptionNamingIt(string text)
    {
        var error = Assert.Throws<FormatException>(() => NodeId.Parse(text));

        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadExpandedNodeId_UriAndServer_RoundTrips()
    {
        var id = new ExpandedNodeId(NodeId.FromString(0, "x"), "urn:a", 3);

        Assert.Equal(id, ReaderOf(w => w.WriteExpandedNodeId(id)).ReadExpandedNodeId());
    }

    private static readonly Variant[] Variants =
    [
        Variant.From(true),
        new Variant(BuiltInType.SByte, (sbyte)-5),
        new Variant(BuiltInType.Byte, (byte)200),
        new Variant(BuiltInType.Int16, (short)-300),
        new Variant(BuiltInType.UInt16, (ushort)60000),
        Variant.From(-123456),
        Variant.From(4000000000u),
        Variant.From(long.MinValue),
        new Variant(BuiltInType.UInt64, ulong.MaxValue),
        Variant.From(1.5f),
        Variant.From(Math.PI),
        Variant.From("grüße"),
        new Variant(BuiltInType.DateTime, new DateTime(2026, 11, 24, 18, 0, 0, DateTimeKind.Utc)),
        new Variant(BuiltInType.Guid, Guid.Parse("72962b91-fa75-4ae6-8d28-b404dc7daf63")),
        new Variant(BuiltInType.ByteString, new byte[] { 1, 2, 3 }),
        new Variant(BuiltInType.StatusCode, StatusCodes.BadNodeIdUnknown),
        new Variant(BuiltInType.QualifiedName, new QualifiedName(2, "Plant")),
        new Variant(BuiltInType.LocalizedText, new LocalizedText("en", "Plant")),
        Variant.From(new[] { 1.0, 2.5, -3.0 }),
        new Variant(BuiltInType.String, new[] { "a", "b" }),
        new Variant(BuiltInType.Int32, new[] { 1, 2, 3, 4, 5, 6 }, [2, 3]),
        new Variant(BuiltInType.Variant, new[] { Variant.From(1), Variant.From("x") }),
    ];

    public static TheoryData<int> VariantIndexes => new(Enumerable.Range(0, Variants.Length));

    [Theory]
    [MemberData(nameof(VariantIndexes))]
    public void ReadVariant_EachBuiltInType_RoundTrips(int index)
    {
        var variant = Variants[index];
        var decoded = ReaderOf(w => w.WriteVariant(variant)).ReadVariant();

        Assert.Equal(variant.Type, decoded.Type);
        Assert.Equal(variant.ToString(), decoded.ToString());
        Assert.Equal(variant.Dimensions, decoded.Dimensions);
    }

    [Fact]
    public void ReadDataValue_AllFields_RoundTrips()
    {
        var time = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var value = new DataValue(Variant.From(2.5), StatusCodes.UncertainLastUsableValue, time, time.AddSeconds(1));

        var decoded = ReaderOf(w => w.WriteDataValue(value)).ReadDataValue();

        Assert.Equal(value.Status, decoded.Status);
        Assert.Equal(value.SourceTimestamp, decoded.SourceTimestamp);
        Assert.Equal(value.ServerTimestamp, decoded.ServerTimestamp);
        Assert.Equal(2.5, decoded.Value.Value);
    }

    [Fact]
    public void ReadExtensionObject_BinaryBody_KeepsTypeAndBytes()
    {
        var value = ExtensionObject.FromBody(EncodingIds.DataChangeFilter, w => w.WriteUInt32(1));

        var decoded = ReaderOf(w => w.WriteExtensionObject(value)).ReadExtensionObject();

        Assert.True(decoded.Is(EncodingIds.DataChangeFilter));
        Assert.Equal(value.Body, decoded.Body);
    }

    [Fact]
    public void ReadDiagnosticInfo_Nested_RoundTrips()
    {
        var info = new DiagnosticInfo("outer", StatusCodes.BadTimeout, new DiagnosticInfo("inner", 0, null));

        Assert.Equal(info, ReaderOf(w => w.WriteDiagnosticInfo(info)).ReadDiagnosticInfo());
    }

    [Fact]
    public void ReadDateTime_ZeroAndMax_Clamp()
    {
        Assert.Equal(DateTime.MinValue, ReaderOf(w => w.WriteInt64(0)).ReadDateTime());
        Assert.Equal(DateTime.MaxValue, ReaderOf(w => w.WriteInt64(long.MaxValue)).ReadDateTime());
    }

    [Fact]
    public void ReadString_NullAndEmpty_Distinguished()
    {
        Assert.Null(ReaderOf(w => w.WriteString(null)).ReadString());
        Assert.Equal("", ReaderOf(w => w.WriteString("")).ReadString());
    }
}
