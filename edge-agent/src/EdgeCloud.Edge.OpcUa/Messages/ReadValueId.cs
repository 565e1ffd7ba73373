namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>What to read or monitor: a node and an attribute (OPC 10000-4 §7.29).</summary>
internal sealed record ReadValueId(NodeId NodeId, uint AttributeId = AttributeIds.Value, string? IndexRange = null)
{
    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteNodeId(NodeId);
        writer.WriteUInt32(AttributeId);
        writer.WriteString(IndexRange);
        writer.WriteQualifiedName(default); // data encoding: default
    }
}
