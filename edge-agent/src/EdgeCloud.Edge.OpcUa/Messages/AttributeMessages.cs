namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>Read request (OPC 10000-4 §5.10.2).</summary>
internal sealed record ReadRequest(IReadOnlyList<ReadValueId> NodesToRead, double MaxAge = 0) : IServiceRequest
{
    public uint EncodingId => 631;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteDouble(MaxAge);
        writer.WriteUInt32((uint)TimestampsToReturn.Both);
        writer.WriteArray(NodesToRead, (w, n) => n.Encode(w));
    }
}

/// <summary>Read response: one data value per node read, in order.</summary>
internal sealed record ReadResponse(ResponseHeader Header, DataValue[] Results) : IServiceResponse<ReadResponse>
{
    public static uint EncodingId => 634;

    public static ReadResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadList(r => r.ReadDataValue());
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return new ReadResponse(header, results);
    }
}

/// <summary>One value to write (OPC 10000-4 §5.10.4).</summary>
internal sealed record WriteValue(NodeId NodeId, DataValue Value, uint AttributeId = AttributeIds.Value);

/// <summary>Write request (OPC 10000-4 §5.10.4).</summary>
internal sealed record WriteRequest(IReadOnlyList<WriteValue> NodesToWrite) : IServiceRequest
{
    public uint EncodingId => 673;

    public void EncodeBody(UaBinaryWriter writer) =>
        writer.WriteArray(NodesToWrite, (w, n) =>
        {
            w.WriteNodeId(n.NodeId);
            w.WriteUInt32(n.AttributeId);
            w.WriteString(null);
            w.WriteDataValue(n.Value);
        });
}

/// <summary>Write response: one status per value written.</summary>
internal sealed record WriteResponse(ResponseHeader Header, uint[] Results) : IServiceResponse<WriteResponse>
{
    public static uint EncodingId => 676;

    public static WriteResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadList(r => r.ReadStatusCode(), 4);
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return new WriteResponse(header, results);
    }
}
