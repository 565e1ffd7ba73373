namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>Which timestamps a server returns (OPC 10000-4 §7.40).</summary>
internal enum TimestampsToReturn : uint
{
    Source = 0,
    Server = 1,
    Both = 2,
    Neither = 3,
}
