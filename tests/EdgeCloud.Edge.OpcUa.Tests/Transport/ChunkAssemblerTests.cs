using EdgeCloud.Edge.OpcUa.Transport;

namespace EdgeCloud.Edge.OpcUa.Tests.Transport;

public sealed class ChunkAssemblerTests
{
    [Fact]
    public void Add_IntermediateThenFinal_ReturnsConcatenatedBody()
    {
        var assembler = new ChunkAssembler(1000, 10);

        Assert.Null(assembler.Add(7, UaTcpMessageType.Intermediate, [1, 2]));
        Assert.Null(assembler.Add(8, UaTcpMessageType.Intermediate, [9]));
        Assert.Equal([1, 2, 3], assembler.Add(7, UaTcpMessageType.Final, [3]));
        Assert.Equal(1, assembler.OpenCount);
    }

    [Fact]
    public void Add_TooManyChunks_ThrowsLimitsExceededAndDropsPartial()
    {
        var assembler = new ChunkAssembler(1000, 2);
        assembler.Add(1, UaTcpMessageType.Intermediate, [1]);
        assembler.Add(1, UaTcpMessageType.Intermediate, [1]);

        var error = Assert.Throws<UaDecodeException>(() => assembler.Add(1, UaTcpMessageType.Final, [1]));

        Assert.Equal(StatusCodes.BadEncodingLimitsExceeded, error.StatusCode);
        Assert.Equal(0, assembler.OpenCount);
    }

    [Fact]
    public void Add_MessageTooLarge_Throws()
    {
        var assembler = new ChunkAssembler(10, 100);
        assembler.Add(1, UaTcpMessageType.Intermediate, new byte[8]);

        Assert.Throws<UaDecodeException>(() => assembler.Add(1, UaTcpMessageType.Intermediate, new byte[8]));
    }

    [Fact]
    public void Add_TooManyOpenMessages_Throws()
    {
        var assembler = new ChunkAssembler(1000, 10, maxOpenMessages: 2);
        assembler.Add(1, UaTcpMessageType.Intermediate, [1]);
        assembler.Add(2, UaTcpMessageType.Intermediate, [1]);

        Assert.Throws<UaDecodeException>(() => assembler.Add(3, UaTcpMessageType.Intermediate, [1]));
    }

    [Fact]
    public void Add_AbortChunk_ThrowsServerReasonAndDropsPartial()
    {
        var assembler = new ChunkAssembler(1000, 10);
        assembler.Add(1, UaTcpMessageType.Intermediate, [1]);
        var abort = new UaBinaryWriter();
        abort.WriteUInt32(StatusCodes.BadResponseTooLarge);
        abort.WriteString("too big");

        var error = Assert.Throws<UaStatusException>(() => assembler.Add(1, UaTcpMessageType.Abort, abort.ToArray()));

        Assert.Equal(StatusCodes.BadResponseTooLarge, error.StatusCode);
        Assert.Contains("too big", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, assembler.OpenCount);
    }

    [Theory]
    [InlineData("XYZF", 100u)]
    [InlineData("MSGX", 100u)]
    [InlineData("MSGF", 4u)]
    [InlineData("MSGF", 1_000_000u)]
    public void ValidateHeader_BadTypeKindOrSize_Throws(string prefix, uint size)
    {
        var header = new byte[8];
        System.Text.Encoding.ASCII.GetBytes(prefix).CopyTo(header, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), size);

        Assert.Throws<UaDecodeException>(() => UaFrameCodec.ValidateHeader(header, 65535, out _, out _));
    }
}
