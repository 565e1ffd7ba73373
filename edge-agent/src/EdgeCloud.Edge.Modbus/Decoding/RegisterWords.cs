using System.Buffers.Binary;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Decoding;

/// <summary>
/// Maps registers to the big-endian value bits and back for each <see cref="ByteOrder"/>. The
/// name tells where the most significant byte A lands on the wire: registers r0 r1 carry the
/// bytes (hi r0, lo r0, hi r1, lo r1) = ABCD, CDAB, BADC or DCBA. A one-register value is
/// only affected by the byte swap (BADC, DCBA). Four registers generalise the names as word order
/// plus byte swap: ABCD/BADC put the most significant register first, CDAB/DCBA the least
/// significant; BADC/DCBA swap the bytes inside each register.
/// </summary>
internal static class RegisterWords
{
    /// <summary>The 16 value bits of one register.</summary>
    public static ushort To16(ushort register, ByteOrder order) =>
        SwapsBytes(order) ? BinaryPrimitives.ReverseEndianness(register) : register;

    /// <summary>The 32 value bits of two registers.</summary>
    public static uint To32(ushort r0, ushort r1, ByteOrder order) => order switch
    {
        ByteOrder.ABCD => ((uint)r0 << 16) | r1,
        ByteOrder.CDAB => ((uint)r1 << 16) | r0,
        ByteOrder.BADC => ((uint)BinaryPrimitives.ReverseEndianness(r0) << 16) | BinaryPrimitives.ReverseEndianness(r1),
        ByteOrder.DCBA => ((uint)BinaryPrimitives.ReverseEndianness(r1) << 16) | BinaryPrimitives.ReverseEndianness(r0),
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "unknown byte order"),
    };

    /// <summary>The register holding 16 value bits.</summary>
    public static ushort From16(ushort bits, ByteOrder order) => To16(bits, order);

    /// <summary>The two registers holding 32 value bits (the inverse of <see cref="To32"/>).</summary>
    public static void From32(uint bits, ByteOrder order, Span<ushort> destination)
    {
        var high = (ushort)(bits >> 16);
        var low = (ushort)bits;
        (destination[0], destination[1]) = order switch
        {
            ByteOrder.ABCD => (high, low),
            ByteOrder.CDAB => (low, high),
            ByteOrder.BADC => (BinaryPrimitives.ReverseEndianness(high), BinaryPrimitives.ReverseEndianness(low)),
            ByteOrder.DCBA => (BinaryPrimitives.ReverseEndianness(low), BinaryPrimitives.ReverseEndianness(high)),
            _ => throw new ArgumentOutOfRangeException(nameof(order), order, "unknown byte order"),
        };
    }

    /// <summary>The 64 value bits of four registers.</summary>
    public static ulong To64(ReadOnlySpan<ushort> registers, ByteOrder order)
    {
        var swap = SwapsBytes(order);
        var lowWordFirst = LowWordFirst(order);
        ulong bits = 0;
        for (var i = 0; i < 4; i++)
        {
            var register = registers[lowWordFirst ? 3 - i : i];
            bits = (bits << 16) | (swap ? BinaryPrimitives.ReverseEndianness(register) : register);
        }

        return bits;
    }

    /// <summary>The four registers holding 64 value bits (the inverse of <see cref="To64"/>).</summary>
    public static void From64(ulong bits, ByteOrder order, Span<ushort> destination)
    {
        var swap = SwapsBytes(order);
        var lowWordFirst = LowWordFirst(order);
        for (var i = 0; i < 4; i++)
        {
            var word = (ushort)(bits >> (48 - (16 * i)));
            destination[lowWordFirst ? 3 - i : i] = swap ? BinaryPrimitives.ReverseEndianness(word) : word;
        }
    }

    private static bool LowWordFirst(ByteOrder order) => order switch
    {
        ByteOrder.ABCD or ByteOrder.BADC => false,
        ByteOrder.CDAB or ByteOrder.DCBA => true,
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "unknown byte order"),
    };

    private static bool SwapsBytes(ByteOrder order) => order is ByteOrder.BADC or ByteOrder.DCBA;
}
