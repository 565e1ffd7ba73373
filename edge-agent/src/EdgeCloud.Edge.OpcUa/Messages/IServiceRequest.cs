namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>A service request: its binary encoding id and the body that follows the request header.</summary>
internal interface IServiceRequest
{
    /// <summary>The DefaultBinary encoding node id (namespace 0) written before the header.</summary>
    uint EncodingId { get; }

    /// <summary>Writes the fields after the request header.</summary>
    void EncodeBody(UaBinaryWriter writer);
}
