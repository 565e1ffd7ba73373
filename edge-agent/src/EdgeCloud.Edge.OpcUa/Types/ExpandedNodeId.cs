namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>A node id that may name its namespace by URI and live on another server (OPC 10000-6 §5.2.2.10).</summary>
/// <param name="NodeId">The node id; its namespace index is 0 when <paramref name="NamespaceUri"/> is set.</param>
/// <param name="NamespaceUri">The namespace URI, or null.</param>
/// <param name="ServerIndex">Index in the server table; 0 is the local server.</param>
internal sealed record ExpandedNodeId(NodeId NodeId, string? NamespaceUri, uint ServerIndex)
{
    public override string ToString() =>
        (ServerIndex != 0 ? $"svr={ServerIndex};" : "") + (NamespaceUri is not null ? $"nsu={NamespaceUri};" : "") + NodeId;
}
