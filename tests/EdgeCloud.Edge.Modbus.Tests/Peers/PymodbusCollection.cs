namespace EdgeCloud.Edge.Modbus.Tests.Peers;

/// <summary>Tests that share one pymodbus process.</summary>
[CollectionDefinition(Name)]
public sealed class PymodbusCollection : ICollectionFixture<PymodbusServer>
{
    public const string Name = "pymodbus";
}
