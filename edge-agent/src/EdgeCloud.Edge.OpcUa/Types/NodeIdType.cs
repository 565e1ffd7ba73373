namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>The four identifier kinds of a <see cref="NodeId"/> (OPC 10000-3 §8.2).</summary>
internal enum NodeIdType : byte
{
    Numeric = 0,
    String = 1,
    Guid = 2,
    Opaque = 3,
}
