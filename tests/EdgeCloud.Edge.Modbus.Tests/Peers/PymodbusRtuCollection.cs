namespace EdgeCloud.Edge.Modbus.Tests.Peers;

/// <summary>Tests that share the pymodbus RTU peers.</summary>
[CollectionDefinition(Name)]
public sealed class PymodbusRtuCollection : ICollectionFixture<PymodbusRtuPeers>
{
    public const string Name = "pymodbus-rtu";
}
