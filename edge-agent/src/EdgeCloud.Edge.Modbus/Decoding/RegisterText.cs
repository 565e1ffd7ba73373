using System.Text;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Decoding;

/// <summary>
/// Text in registers: two 8-bit characters per register (Latin-1, so every byte is a character and
/// nothing fails to decode), the first in the high byte for <see cref="ByteOrder.ABCD"/> and in the
/// low byte for <see cref="ByteOrder.BADC"/>. Devices pad a shorter text with NULs or spaces: a
/// decoded text ends at the first NUL and is trimmed of spaces on both ends. Encoding pads with NULs.
/// </summary>
public static class RegisterText
{
    /// <summary>Decodes every register of <paramref name="registers"/> as text.</summary>
    public static string Decode(ReadOnlySpan<ushort> registers, ByteOrder order)
    {
        Span<byte> bytes = stackalloc byte[registers.Length * 2];
        for (var i = 0; i < registers.Length; i++)
        {
            var word = RegisterWords.To16(registers[i], order);
            bytes[2 * i] = (byte)(word >> 8);
            bytes[(2 * i) + 1] = (byte)word;
        }

        var end = bytes.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? bytes : bytes[..end]).Trim(' ');
    }

    /// <summary>
    /// Encodes <paramref name="text"/> into all of <paramref name="destination"/>, NUL-padded. False
    /// when it is longer than two characters per register or holds a character outside Latin-1 or a NUL.
    /// </summary>
    public static bool TryEncode(string text, ByteOrder order, Span<ushort> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > destination.Length * 2)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is '\0' or > '\u00FF')
            {
                return false;
            }
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var high = 2 * i < text.Length ? text[2 * i] : '\0';
            var low = (2 * i) + 1 < text.Length ? text[(2 * i) + 1] : '\0';
            destination[i] = RegisterWords.From16((ushort)((high << 8) | low), order);
        }

        return true;
    }
}
