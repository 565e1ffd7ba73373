namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>A start node and the browse names to follow from it (OPC 10000-4 §7.27 RelativePath).</summary>
internal sealed record BrowsePath(NodeId StartingNode, IReadOnlyList<QualifiedName> Names)
{
    /// <summary>HierarchicalReferences (i=33): the organizes/component/property family.</summary>
    public static readonly NodeId HierarchicalReferences = NodeId.FromNumeric(0, 33);

    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteNodeId(StartingNode);
        writer.WriteArray(Names, (w, name) =>
        {
            w.WriteNodeId(HierarchicalReferences);
            w.WriteBoolean(false); // forward
            w.WriteBoolean(true); // include subtypes
            w.WriteQualifiedName(name);
        });
    }
}

/// <summary>The nodes a browse path led to (OPC 10000-4 §5.8.4).</summary>
internal sealed record BrowsePathResult(uint StatusCode, ExpandedNodeId[] Targets);

/// <summary>TranslateBrowsePathsToNodeIds request (OPC 10000-4 §5.8.4).</summary>
internal sealed record TranslateBrowsePathsRequest(IReadOnlyList<BrowsePath> Paths) : IServiceRequest
{
    public uint EncodingId => 554;

    public void EncodeBody(UaBinaryWriter writer) => writer.WriteArray(Paths, (w, p) => p.Encode(w));
}

/// <summary>TranslateBrowsePathsToNodeIds response.</summary>
internal sealed record TranslateBrowsePathsResponse(ResponseHeader Header, BrowsePathResult[] Results) : IServiceResponse<TranslateBrowsePathsResponse>
{
    public static uint EncodingId => 557;

    public static TranslateBrowsePathsResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadList(
            r => new BrowsePathResult(r.ReadStatusCode(), r.ReadList(t =>
            {
                var target = t.ReadExpandedNodeId();
                t.ReadUInt32(); // remaining path index
                return target;
            }, 5)),
            8);
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return new TranslateBrowsePathsResponse(header, results);
    }
}
