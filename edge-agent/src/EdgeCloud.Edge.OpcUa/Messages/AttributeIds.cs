namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>Attribute ids of OPC 10000-6 Annex A (AttributeIds.csv) that the client reads.</summary>
internal static class AttributeIds
{
    public const uint NodeId = 1;
    public const uint NodeClass = 2;
    public const uint BrowseName = 3;
    public const uint DisplayName = 4;
    public const uint Value = 13;
    public const uint DataType = 14;
    public const uint AccessLevel = 17;
}
