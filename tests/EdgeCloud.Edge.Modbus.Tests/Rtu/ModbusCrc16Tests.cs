using EdgeCloud.Edge.Modbus.Rtu;

namespace EdgeCloud.Edge.Modbus.Tests.Rtu;

public sealed class ModbusCrc16Tests
{
    [Fact]
    public void Compute_CheckString_IsTheCatalogueCheckValue()
    {
        // CRC-16/MODBUS check value from the CRC catalogue: crc("123456789") = 0x4B37.
        Assert.Equal(0x4B37, ModbusCrc16.Compute("123456789"u8));
    }

    [Fact]
    public void Append_ReadTenHoldingRegistersOfUnit1_MatchesTheSpecExampleLowByteFirst()
    {
        // 01 03 00 00 00 0A C5 CD: the frame printed in countless device manuals.
        var frame = new byte[8];
        new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A }.CopyTo(frame, 0);

        Assert.Equal(8, ModbusCrc16.Append(frame, 6));
        Assert.Equal([0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD], frame);
        Assert.True(ModbusCrc16.IsValid(frame));
        frame[3] ^= 0x01;
        Assert.False(ModbusCrc16.IsValid(frame));
    }
}
