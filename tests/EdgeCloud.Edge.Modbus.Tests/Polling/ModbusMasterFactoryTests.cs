using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

public sealed class ModbusMasterFactoryTests
{
    private static readonly IReadOnlyList<ModbusTagConfig> Tags =
        [new ModbusTagConfig("t", ModbusRegisterArea.Holding, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null)];

    [Fact]
    public async Task Create_DevicesOnTheSamePort_ShareOneBusAndOthersGetTheirOwn()
    {
        var line = new SerialLineConfig("/dev/ttyNOPE0", 9600, SerialParity.Even, 8, 1);
        await using var factory = new ModbusMasterFactory(TimeProvider.System);

        var a = factory.Create(new ModbusRtuDeviceConfig("a", line, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), Tags));
        var b = factory.Create(new ModbusRtuDeviceConfig("b", line, 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), Tags));
        var c = factory.Create(new ModbusRtuDeviceConfig("c", line with { Port = "/dev/ttyNOPE1" }, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), Tags));
        var d = factory.Create(new ModbusRtuTcpDeviceConfig("d", "GW.local", 4001, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), Tags));
        var e = factory.Create(new ModbusRtuTcpDeviceConfig("e", "gw.local", 4001, 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), Tags));
        await using var tcp = factory.Create(new ModbusTcpDeviceConfig("f", "127.0.0.1", 502, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), Tags));

        Assert.Equal(["serial:/dev/ttyNOPE0", "serial:/dev/ttyNOPE1", "tcp:gw.local:4001"], factory.Buses.Keys.Order(StringComparer.Ordinal));
        Assert.All([a, b, c, d, e], m => Assert.IsType<RtuBusClient>(m));
        Assert.IsType<ModbusTcpMaster>(tcp);
        Assert.NotSame(a, b);
    }

    [Theory]
    // 3.5 characters: 9600 8N1 = 3.5 * 10 / 9600 s; above 19200 baud the fixed 1.75 ms.
    [InlineData(SerialParity.None, 1, 9600, 10, 3645.8)]
    [InlineData(SerialParity.Even, 1, 9600, 11, 4010.4)]
    [InlineData(SerialParity.None, 2, 19200, 11, 2005.2)]
    [InlineData(SerialParity.Odd, 1, 38400, 11, 1750)]
    [InlineData(SerialParity.None, 1, 115200, 10, 1750)]
    public void Settings_LineConfig_CharacterBitsAndInterFrameDelay(SerialParity parity, int stopBits, int baud, int bits, double delayMicroseconds)
    {
        var settings = ModbusMasterFactory.Settings(new SerialLineConfig("/dev/x", baud, parity, 8, stopBits));

        Assert.Equal(bits, settings.BitsPerCharacter);
        Assert.Equal(delayMicroseconds, settings.InterFrameDelay.TotalMicroseconds, 0.5); // TimeSpan keeps 100 ns ticks
    }
}
