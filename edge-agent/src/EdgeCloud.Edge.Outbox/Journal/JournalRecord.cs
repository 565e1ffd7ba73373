using System.Buffers.Binary;
using System.Numerics;

namespace EdgeCloud.Edge.Outbox.Journal;

/// <summary>
/// One journal record on disk, little-endian:
/// <c>magic u32 | bodyLength u32 | crc32c(body) u32 | body</c> where
/// <c>body = sequence u64 | kind u8 | pointCount i32 | sealedAt i64 | payload</c>.
/// The CRC makes a torn write (power lost mid-append) detectable, so recovery stops exactly at
/// the last complete record.
/// </summary>
internal static class JournalRecord
{
    public const uint Magic = 0x4A424345; // "ECBJ"
    public const int HeaderSize = 12;
    public const int BodyFixedSize = 8 + 1 + 4 + 8;
    public const int MaxPayload = 64 * 1024 * 1024;

    public static int SizeOf(int payloadLength) => HeaderSize + BodyFixedSize + payloadLength;

    /// <summary>Writes one record into <paramref name="destination"/>, which must be <see cref="SizeOf"/> long.</summary>
    public static void Write(Span<byte> destination, ulong sequence, OutboxBatch batch)
    {
        var body = destination[HeaderSize..SizeOf(batch.Payload.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(body, sequence);
        body[8] = (byte)batch.Kind;
        BinaryPrimitives.WriteInt32LittleEndian(body[9..], batch.PointCount);
        BinaryPrimitives.WriteInt64LittleEndian(body[13..], batch.SealedAtUnixNano);
        batch.Payload.Span.CopyTo(body[BodyFixedSize..]);

        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Crc32C(body));
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="source"/>. Returns false when the bytes do
    /// not hold one complete, intact record (end of data or a torn/corrupt tail).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out StoredBatch? batch, out int consumed)
    {
        batch = null;
        consumed = 0;
        if (source.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
        {
            return false;
        }

        var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
        if (bodyLength < BodyFixedSize || bodyLength > BodyFixedSize + MaxPayload || source.Length - HeaderSize < bodyLength)
        {
            return false;
        }

        var body = source.Slice(HeaderSize, (int)bodyLength);
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[8..]) != Crc32C(body))
        {
            return false;
        }

        batch = new StoredBatch(
            BinaryPrimitives.ReadUInt64LittleEndian(body),
            (OutboxBatchKind)body[8],
            BinaryPrimitives.ReadInt32LittleEndian(body[9..]),
            BinaryPrimitives.ReadInt64LittleEndian(body[13..]),
            body[BodyFixedSize..].ToArray());
        consumed = HeaderSize + (int)bodyLength;
        return true;
    }

    /// <summary>CRC-32C (Castagnoli), hardware-accelerated where the CPU offers it.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
