namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>What makes a data change reportable (OPC 10000-4 §7.22.2).</summary>
internal enum DataChangeTrigger : uint
{
    Status = 0,
    StatusValue = 1,
    StatusValueTimestamp = 2,
}
