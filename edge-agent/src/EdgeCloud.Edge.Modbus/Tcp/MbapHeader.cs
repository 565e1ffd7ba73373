using System.Buffers.Binary;

namespace EdgeCloud.Edge.Modbus.Tcp;

/// <summary>
/// The 7-byte MBAP header that precedes every Modbus TCP PDU (Modbus Messaging on TCP/IP
/// Implementation Guide v1.0b, section 3.1.3): transaction id, protocol id (always 0), length
/// (bytes that follow: unit id plus PDU) and unit id. All fields are big-endian.
/// </summary>
/// <param name="TransactionId">Pairs a reply with its request.</param>
/// <param name="ProtocolId">0 for Modbus.</param>
/// <param name="Length">Unit id plus PDU, in bytes.</param>
/// <param name="UnitId">The addressed unit (slave behind a gateway, or 0xFF/1 for a plain TCP device).</param>
internal readonly record struct MbapHeader(ushort TransactionId, ushort ProtocolId, ushort Length, byte UnitId)
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 7;

    /// <summary>Smallest valid length: unit id and a function code.</summary>
    public const int MinLength = 2;

    /// <summary>Largest valid length: unit id and a 253-byte PDU.</summary>
    public const int MaxLength = 254;

    /// <summary>Bytes of the whole frame: the 6 bytes before the length's count, plus the count.</summary>
    public int FrameLength => Size - 1 + Length;

    /// <summary>Reads a header; false when fewer than <see cref="Size"/> bytes are available.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out MbapHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        header = new MbapHeader(
            BinaryPrimitives.ReadUInt16BigEndian(source),
            BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
            source[6]);
        return true;
    }

    /// <summary>Why this header cannot start a valid frame, or null when it can.</summary>
    public string? Problem() =>
        ProtocolId != 0 ? $"protocol id {ProtocolId} (expected 0)"
        : Length is < MinLength or > MaxLength ? $"MBAP length {Length} (expected {MinLength}-{MaxLength})"
        : null;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], ProtocolId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Length);
        destination[6] = UnitId;
    }
}
