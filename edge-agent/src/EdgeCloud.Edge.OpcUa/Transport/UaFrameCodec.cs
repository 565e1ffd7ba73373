using System.Buffers.Binary;
using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>
/// Checks a UA TCP message header (OPC 10000-6 §7.1.2.2) before the body is read: a known type,
/// a known chunk kind, and a size between the header's and our receive buffer's. A size that
/// breaks these is refused before any buffer is allocated for it.
/// </summary>
internal static class UaFrameCodec
{
    public const int HeaderSize = 8;

    /// <summary>Validates <paramref name="header"/> and returns the chunk's total size.</summary>
    public static int ValidateHeader(ReadOnlySpan<byte> header, uint receiveBufferSize, out uint messageType, out byte chunkType)
    {
        messageType = (uint)(header[0] | (header[1] << 8) | (header[2] << 16));
        chunkType = header[3];
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var minimum = messageType switch
        {
            UaTcpMessageType.Acknowledge => 28u,
            UaTcpMessageType.Error => 16u,
            UaTcpMessageType.Open => 12u + 12u + 8u,
            UaTcpMessageType.Message or UaTcpMessageType.Close => 24u,
            _ => throw new UaDecodeException(StatusCodes.BadTcpMessageTypeInvalid, $"unknown UA TCP message type '{Printable(header[..3])}'"),
        };
        if (chunkType is not (UaTcpMessageType.Final or UaTcpMessageType.Intermediate or UaTcpMessageType.Abort))
        {
            throw new UaDecodeException(StatusCodes.BadTcpMessageTypeInvalid, $"unknown chunk type '{Printable(header.Slice(3, 1))}'");
        }

        if (size < minimum)
        {
            throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"{UaTcpMessageType.Name(messageType)} chunk size {size} is below the minimum of {minimum}"));
        }

        if (size > receiveBufferSize)
        {
            throw new UaDecodeException(StatusCodes.BadTcpMessageTooLarge, string.Create(CultureInfo.InvariantCulture, $"chunk size {size} exceeds the receive buffer size {receiveBufferSize}"));
        }

        return (int)size;
    }

    /// <summary>Writes a message header with a size to patch later.</summary>
    public static void WriteHeader(UaBinaryWriter writer, uint messageType, byte chunkType)
    {
        writer.WriteByte((byte)messageType);
        writer.WriteByte((byte)(messageType >> 8));
        writer.WriteByte((byte)(messageType >> 16));
        writer.WriteByte(chunkType);
        writer.WriteUInt32(0);
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
        }

        return new string(chars) + " (0x" + Convert.ToHexString(bytes) + ")";
    }
}
