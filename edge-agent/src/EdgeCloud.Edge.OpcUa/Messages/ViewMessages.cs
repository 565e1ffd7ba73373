namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>Which references to follow from a node (OPC 10000-4 §5.8.2).</summary>
internal sealed record BrowseDescription(NodeId NodeId, NodeId ReferenceTypeId, bool IncludeSubtypes = true, uint Direction = 0, uint NodeClassMask = 0)
{
    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteNodeId(NodeId);
        writer.WriteUInt32(Direction);
        writer.WriteNodeId(ReferenceTypeId);
        writer.WriteBoolean(IncludeSubtypes);
        writer.WriteUInt32(NodeClassMask);
        writer.WriteUInt32(0x3F); // result mask: all fields
    }
}

/// <summary>One reference found by Browse (OPC 10000-4 §7.30).</summary>
internal sealed record ReferenceDescription(NodeId ReferenceTypeId, bool IsForward, ExpandedNodeId NodeId, QualifiedName BrowseName, LocalizedText DisplayName, uint NodeClass, ExpandedNodeId TypeDefinition)
{
    public static ReferenceDescription Decode(UaBinaryReader reader) => new(
        reader.ReadNodeId(), reader.ReadBoolean(), reader.ReadExpandedNodeId(), reader.ReadQualifiedName(),
        reader.ReadLocalizedText(), reader.ReadUInt32(), reader.ReadExpandedNodeId());
}

/// <summary>The references of one browsed node, and a continuation point when more remain (OPC 10000-4 §7.6).</summary>
internal sealed record BrowseResult(uint StatusCode, byte[]? ContinuationPoint, ReferenceDescription[] References)
{
    public static BrowseResult Decode(UaBinaryReader reader) =>
        new(reader.ReadStatusCode(), reader.ReadByteString(), reader.ReadList(ReferenceDescription.Decode, 10));

    public static BrowseResult[] DecodeList(UaBinaryReader reader)
    {
        var results = reader.ReadList(Decode, 9);
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return results;
    }
}

/// <summary>Browse request (OPC 10000-4 §5.8.2).</summary>
internal sealed record BrowseRequest(IReadOnlyList<BrowseDescription> NodesToBrowse, uint MaxReferencesPerNode) : IServiceRequest
{
    public uint EncodingId => 527;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteNodeId(Types.NodeId.Null); // view: the whole address space
        writer.WriteDateTime(DateTime.MinValue);
        writer.WriteUInt32(0);
        writer.WriteUInt32(MaxReferencesPerNode);
        writer.WriteArray(NodesToBrowse, (w, n) => n.Encode(w));
    }
}

/// <summary>Browse response.</summary>
internal sealed record BrowseResponse(ResponseHeader Header, BrowseResult[] Results) : IServiceResponse<BrowseResponse>
{
    public static uint EncodingId => 530;

    public static BrowseResponse Decode(UaBinaryReader reader, ResponseHeader header) => new(header, BrowseResult.DecodeList(reader));
}

/// <summary>BrowseNext request (OPC 10000-4 §5.8.3): continue, or release continuation points.</summary>
internal sealed record BrowseNextRequest(bool Release, IReadOnlyList<byte[]> ContinuationPoints) : IServiceRequest
{
    public uint EncodingId => 533;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteBoolean(Release);
        writer.WriteArray(ContinuationPoints, (w, c) => w.WriteByteString(c));
    }
}

/// <summary>BrowseNext response.</summary>
internal sealed record BrowseNextResponse(ResponseHeader Header, BrowseResult[] Results) : IServiceResponse<BrowseNextResponse>
{
    public static uint EncodingId => 536;

    public static BrowseNextResponse Decode(UaBinaryReader reader, ResponseHeader header) => new(header, BrowseResult.DecodeList(reader));
}
