namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>The header of every request (OPC 10000-4 §7.33).</summary>
internal sealed record RequestHeader(NodeId AuthenticationToken, DateTime Timestamp, uint RequestHandle, uint TimeoutHint)
{
    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteNodeId(AuthenticationToken);
        writer.WriteDateTime(Timestamp);
        writer.WriteUInt32(RequestHandle);
        writer.WriteUInt32(0); // returnDiagnostics: none
        writer.WriteString(null); // auditEntryId
        writer.WriteUInt32(TimeoutHint);
        writer.WriteExtensionObject(null); // additionalHeader
    }
}
