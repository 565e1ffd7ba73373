namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>
/// A structure carried as its encoding id and encoded body (OPC 10000-6 §5.2.2.15). The body is
/// kept as bytes and decoded by whoever knows <see cref="TypeId"/>; an unknown type is carried,
/// never guessed at.
/// </summary>
/// <param name="TypeId">The encoding node id (for example 811, DataChangeNotification_Encoding_DefaultBinary).</param>
/// <param name="Encoding">0 no body, 1 binary, 2 XML.</param>
/// <param name="Body">The encoded body, or null.</param>
internal sealed record ExtensionObject(NodeId TypeId, byte Encoding, byte[]? Body)
{
    /// <summary>The empty extension object (null type, no body).</summary>
    public static ExtensionObject Null { get; } = new(NodeId.Null, 0, null);

    /// <summary>Encodes <paramref name="encode"/> into a binary-bodied extension object.</summary>
    public static ExtensionObject FromBody(uint encodingId, Action<UaBinaryWriter> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        var writer = new UaBinaryWriter();
        encode(writer);
        return new ExtensionObject(NodeId.FromNumeric(0, encodingId), 1, writer.ToArray());
    }

    /// <summary>True when this is a binary body of the given namespace-0 encoding id.</summary>
    public bool Is(uint encodingId) => Encoding == 1 && TypeId.NamespaceIndex == 0 && TypeId.IdType == NodeIdType.Numeric && TypeId.Numeric == encodingId;
}
