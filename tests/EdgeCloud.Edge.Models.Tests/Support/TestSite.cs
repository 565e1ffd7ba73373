using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Models.Tests.Support;

/// <summary>A site with the simulator's tags (as <c>edge-agent simulate modbus --print-config</c> names them) and a <c>test</c> device with a sequence tag.</summary>
internal static class TestSite
{
    public static SiteConfig Create()
    {
        static ModbusTagConfig Tag(string name, ushort address) => new(name, ModbusRegisterArea.Holding, address, ModbusDataType.Float32, ByteOrder.ABCD, 1, 0, null);
        var simulator = new ModbusTcpDeviceConfig("simulator", "127.0.0.1", 5020, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
            [Tag("temperature", 0), Tag("pressure", 2), Tag("level", 4), Tag("position", 7), Tag("flow", 20)]);
        var test = new ModbusTcpDeviceConfig("test", "127.0.0.1", 5021, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
            [Tag("seq", 0), Tag("other", 2)]);
        return new SiteConfig([simulator, test]);
    }
}
