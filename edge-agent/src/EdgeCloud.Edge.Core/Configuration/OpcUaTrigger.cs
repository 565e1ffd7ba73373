namespace EdgeCloud.Edge.Configuration;

/// <summary>What counts as a data change for an OPC UA monitored item; the values match OPC 10000-4 §7.22.2.</summary>
public enum OpcUaTrigger
{
    /// <summary>Only status changes.</summary>
    Status = 0,

    /// <summary>Status or value changes (the default).</summary>
    StatusValue = 1,

    /// <summary>Status, value or source timestamp changes.</summary>
    StatusValueTimestamp = 2,
}
