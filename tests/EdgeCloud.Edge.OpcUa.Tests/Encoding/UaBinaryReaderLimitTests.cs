namespace EdgeCloud.Edge.OpcUa.Tests.Encoding;

public sealed class UaBinaryReaderLimitTests
{
    private static byte[] Bytes(Action<UaBinaryWriter> write)
    {
        var writer = new UaBinaryWriter();
        write(writer);
        return writer.ToArray();
    }

    [Fact]
    public void ReadVariant_HugeArrayLength_ThrowsBeforeAllocating()
    {
        // A Double array claiming 100 million elements in 10 bytes.
        var bytes = Bytes(w => { w.WriteByte(0x80 | (byte)BuiltInType.Double); w.WriteInt32(100_000_000); w.WriteInt64(0); });
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<UaDecodeException>(() => new UaBinaryReader(bytes).ReadVariant());

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100_000);
        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, error.StatusCode);
    }

    [Fact]
    public void ReadArray_LengthBeyondRemainingBytes_Throws()
    {
        var bytes = Bytes(w => { w.WriteInt32(3); w.WriteInt32(1); });

        var error = Assert.Throws<UaDecodeException>(() => new UaBinaryReader(bytes).ReadArray(r => r.ReadInt32(), 4));

        Assert.Contains("cannot fit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadString_LongerThanLimit_ThrowsLimitsExceeded()
    {
        var bytes = Bytes(w => w.WriteString(new string('x', 100)));

        var error = Assert.Throws<UaDecodeException>(() => new UaBinaryReader(bytes, new UaEncodingLimits { MaxStringLength = 10 }).ReadString());

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, error.StatusCode);
    }

    [Fact]
    public void ReadString_InvalidUtf8_Throws()
    {
        var bytes = Bytes(w => { w.WriteInt32(2); w.WriteByte(0xC3); w.WriteByte(0x28); });

        Assert.Throws<UaDecodeException>(() => new UaBinaryReader(bytes).ReadString());
    }

    [Fact]
    public void ReadVariant_NestedDeeperThanLimit_Throws()
    {
        var bytes = Bytes(w =>
        {
            for (var i = 0; i < 100; i++)
            {
                w.WriteByte(0x80 | (byte)BuiltInType.Variant);
                w.WriteInt32(1);
            }

            w.WriteByte(0);
        });

        var error = Assert.Throws<UaDecodeException>(() => new UaBinaryReader(bytes).ReadVariant());

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, error.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F })]
    [InlineData(new byte[] { 0x3F })]
    [InlineData(new byte[] { 0x46, 1, 0, 0, 0 })]
    public void ReadVariant_UnknownTypeOrDimensionsWithoutArray_Throws(byte[] bytes)
    {
        Assert.Throws<UaDecodeException>(() => new UaBinaryReader(bytes).ReadVariant());
    }

    [Fact]
    public void ReadVariant_DimensionsNotMatchingLength_Throws()
    {
        var bytes = Bytes(w => w.WriteVariant(new Variant(BuiltInType.Int32, new[] { 1, 2, 3 }, [2, 2])));

        Assert.Throws<UaDecodeException>(() => new UaBinaryReader(bytes).ReadVariant());
    }

    [Fact]
    public void ReadNodeId_UnknownEncoding_Throws()
    {
        Assert.Throws<UaDecodeException>(() => new UaBinaryReader([0x07, 0, 0]).ReadNodeId());
    }

    [Fact]
    public void ReadDouble_Truncated_ThrowsNamingOffset()
    {
        var error = Assert.Throws<UaDecodeException>(() => new UaBinaryReader([1, 2, 3]).ReadDouble());

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }
}
