using EdgeCloud.Edge.OpcUa.Transport;

namespace EdgeCloud.Edge.OpcUa.Tests.Encoding;

/// <summary>
/// Random and mutated input for the decoders: whatever arrives, decoding ends in a typed error
/// (or a value), allocates a bounded multiple of the input, and never throws anything else.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Iterations = 10_000;

    private static readonly Func<byte[], object>[] Decoders =
    [
        b => ServiceResponses.Decode<ReadResponse>(b, UaEncodingLimits.Default, "Read", "fuzz"),
        b => ServiceResponses.Decode<BrowseResponse>(b, UaEncodingLimits.Default, "Browse", "fuzz"),
        b => ServiceResponses.Decode<CreateSessionResponse>(b, UaEncodingLimits.Default, "CreateSession", "fuzz"),
        b => ServiceResponses.Decode<GetEndpointsResponse>(b, UaEncodingLimits.Default, "GetEndpoints", "fuzz"),
        b => ServiceResponses.Decode<TranslateBrowsePathsResponse>(b, UaEncodingLimits.Default, "Translate", "fuzz"),
        b => ServiceResponses.Decode<OpenSecureChannelResponse>(b, UaEncodingLimits.Default, "Open", "fuzz"),
        b => new UaBinaryReader(b).ReadVariant(),
        b => new UaBinaryReader(b).ReadDataValue(),
    ];

    internal static byte[] ValidReadResponse()
    {
        var w = new UaBinaryWriter();
        w.WriteNodeId(NodeId.FromNumeric(0, ReadResponse.EncodingId));
        new ResponseHeader(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 7, 0, null).Encode(w);
        w.WriteInt32(5);
        w.WriteDataValue(new DataValue(Variant.From(1.5), 0, DateTime.UnixEpoch, DateTime.UnixEpoch));
        w.WriteDataValue(DataValue.FromValue(Variant.From("text")));
        w.WriteDataValue(DataValue.FromValue(Variant.From(new[] { 1.0, 2.0, 3.0 })));
        w.WriteDataValue(DataValue.FromValue(new Variant(BuiltInType.Variant, new[] { Variant.From(1), Variant.From(true) })));
        w.WriteDataValue(DataValue.FromValue(new Variant(BuiltInType.ExtensionObject, ExtensionObject.FromBody(1, x => x.WriteInt32(3)))));
        w.WriteInt32(1);
        w.WriteDiagnosticInfo(new DiagnosticInfo("d", 0, null));
        return w.ToArray();
    }

    private static byte[] ValidBrowseResponse()
    {
        var w = new UaBinaryWriter();
        w.WriteNodeId(NodeId.FromNumeric(0, BrowseResponse.EncodingId));
        new ResponseHeader(DateTime.UnixEpoch, 1, 0, null).Encode(w);
        w.WriteInt32(1);
        w.WriteUInt32(0);
        w.WriteByteString([1, 2, 3]);
        w.WriteInt32(2);
        for (var i = 0; i < 2; i++)
        {
            w.WriteNodeId(NodeId.FromNumeric(0, 47));
            w.WriteBoolean(true);
            w.WriteExpandedNodeId(new ExpandedNodeId(NodeId.FromString(2, "N" + i), null, 0));
            w.WriteQualifiedName(new QualifiedName(2, "N" + i));
            w.WriteLocalizedText(new LocalizedText("en", "N"));
            w.WriteUInt32(2);
            w.WriteExpandedNodeId(new ExpandedNodeId(NodeId.FromNumeric(0, 63), "urn:x", 1));
        }

        w.WriteInt32(-1);
        return w.ToArray();
    }

    [Fact]
    public void Decode_MutatedValidMessages_OnlyTypedErrorsAndBoundedMemory()
    {
        var random = new Random(4242);
        byte[][] seeds = [ValidReadResponse(), ValidBrowseResponse()];
        foreach (var seed in seeds)
        {
            // The seeds themselves decode.
            Assert.NotNull(Decoders[seed == seeds[0] ? 0 : 1](seed));
        }

        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], random);
            DecodeAll(input);
        }
    }

    [Fact]
    public void Decode_RandomBytes_OnlyTypedErrorsAndBoundedMemory()
    {
        var random = new Random(77);
        for (var i = 0; i < Iterations; i++)
        {
            var input = new byte[random.Next(0, 200)];
            random.NextBytes(input);
            DecodeAll(input);
        }
    }

    [Fact]
    public void ValidateHeaderAndAssemble_RandomFrames_OnlyTypedErrors()
    {
        var random = new Random(9);
        var assembler = new ChunkAssembler(1 << 16, 8);
        byte[][] prefixes = ["MSGF"u8.ToArray(), "MSGC"u8.ToArray(), "MSGA"u8.ToArray(), "OPNF"u8.ToArray(), "ERRF"u8.ToArray()];
        for (var i = 0; i < Iterations; i++)
        {
            var frame = new byte[random.Next(8, 120)];
            random.NextBytes(frame);
            if (random.Next(2) == 0)
            {
                prefixes[random.Next(prefixes.Length)].CopyTo(frame, 0);
            }

            try
            {
                UaFrameCodec.ValidateHeader(frame, 65535, out _, out var chunk);
                assembler.Add((uint)random.Next(0, 100), chunk, frame.AsSpan(8));
            }
            catch (Exception ex) when (ex is UaDecodeException or UaStatusException)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            }
        }

        Assert.True(assembler.OpenCount <= 64);
    }

    private static void DecodeAll(byte[] input)
    {
        foreach (var decode in Decoders)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                decode(input);
            }
            catch (Exception ex) when (ex is UaDecodeException or UaStatusException)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (512L * input.Length) + 64_000, $"decoding {input.Length} bytes allocated {allocated}");
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(5))
        {
            case 0:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                // A length-like field set to a huge or negative value.
                var at = random.Next(bytes.Length - 4);
                BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), random.Next(2) == 0 ? int.MaxValue : -2 - random.Next(100));
                return bytes;
            case 3:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            default:
                var insert = new byte[random.Next(1, 16)];
                random.NextBytes(insert);
                var position = random.Next(bytes.Length);
                return [.. bytes[..position], .. insert, .. bytes[position..]];
        }
    }
}
