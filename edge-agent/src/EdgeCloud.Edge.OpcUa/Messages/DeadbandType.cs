namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>The deadband kinds of a DataChangeFilter: none, absolute (engineering units) or percent of the EU range.</summary>
internal enum DeadbandType : uint
{
    None = 0,
    Absolute = 1,
    Percent = 2,
}
