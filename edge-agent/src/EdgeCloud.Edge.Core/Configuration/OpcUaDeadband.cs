namespace EdgeCloud.Edge.Configuration;

/// <summary>The deadband of an OPC UA data-change filter; the values match OPC 10000-4 §7.22.2.</summary>
public enum OpcUaDeadband
{
    /// <summary>Every change is reported.</summary>
    None = 0,

    /// <summary>A change is reported when it exceeds the value in engineering units.</summary>
    Absolute = 1,

    /// <summary>A change is reported when it exceeds the value as a percent of the node's EURange.</summary>
    Percent = 2,
}
