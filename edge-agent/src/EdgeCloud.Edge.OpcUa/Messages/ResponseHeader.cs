namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>The header of every response (OPC 10000-4 §7.34).</summary>
internal sealed record ResponseHeader(DateTime Timestamp, uint RequestHandle, uint ServiceResult, DiagnosticInfo? Diagnostics)
{
    public static ResponseHeader Decode(UaBinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var timestamp = reader.ReadDateTime();
        var handle = reader.ReadUInt32();
        var result = reader.ReadStatusCode();
        var diagnostics = reader.ReadDiagnosticInfo();
        reader.ReadArray(r => r.ReadString(), 4); // string table
        reader.ReadExtensionObject(); // additional header
        return new ResponseHeader(timestamp, handle, result, diagnostics);
    }

    public void Encode(UaBinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteDateTime(Timestamp);
        writer.WriteUInt32(RequestHandle);
        writer.WriteUInt32(ServiceResult);
        writer.WriteDiagnosticInfo(Diagnostics);
        writer.WriteInt32(-1);
        writer.WriteExtensionObject(null);
    }
}
