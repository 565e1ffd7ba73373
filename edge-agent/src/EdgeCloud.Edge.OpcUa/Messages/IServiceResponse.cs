namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>A service response type: how to recognise it on the wire and how to decode its body.</summary>
internal interface IServiceResponse<TSelf>
    where TSelf : IServiceResponse<TSelf>
{
    /// <summary>The DefaultBinary encoding node id (namespace 0) expected before the header.</summary>
    static abstract uint EncodingId { get; }

    /// <summary>Decodes the fields after the response header.</summary>
    static abstract TSelf Decode(UaBinaryReader reader, ResponseHeader header);
}
