namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// CRC-16/MODBUS (Modbus over Serial Line v1.02, section 6.2.2): polynomial 0xA001 (reflected
/// 0x8005), initial value 0xFFFF, no final xor. On the wire the low byte goes first. A frame whose
/// last two bytes are its CRC has a CRC of zero over the whole frame, which is how replies are checked.
/// </summary>
internal static class ModbusCrc16
{
    private static readonly ushort[] Table = BuildTable();

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
        {
            crc = (ushort)((crc >> 8) ^ Table[(crc ^ b) & 0xFF]);
        }

        return crc;
    }

    /// <summary>Appends the CRC of <c>frame[..length]</c> at <paramref name="length"/> (low byte first); returns the new length.</summary>
    public static int Append(Span<byte> frame, int length)
    {
        var crc = Compute(frame[..length]);
        frame[length] = (byte)crc;
        frame[length + 1] = (byte)(crc >> 8);
        return length + 2;
    }

    /// <summary>True when the last two bytes of <paramref name="frame"/> are the CRC of the bytes before them.</summary>
    public static bool IsValid(ReadOnlySpan<byte> frame) => frame.Length >= 4 && Compute(frame) == 0;

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ushort)i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }

            table[i] = crc;
        }

        return table;
    }
}
