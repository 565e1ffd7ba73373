namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>OpenSecureChannel request (OPC 10000-4 §5.5.2): issue a new token or renew one.</summary>
internal sealed record OpenSecureChannelRequest(bool Renew, MessageSecurityMode Mode, byte[]? ClientNonce, uint RequestedLifetime) : IServiceRequest
{
    public uint EncodingId => 446;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteUInt32(0); // client protocol version
        writer.WriteUInt32(Renew ? 1u : 0u);
        writer.WriteUInt32((uint)Mode);
        writer.WriteByteString(ClientNonce ?? []);
        writer.WriteUInt32(RequestedLifetime);
    }
}

/// <summary>OpenSecureChannel response: the token that keys the channel until it expires.</summary>
internal sealed record OpenSecureChannelResponse(ResponseHeader Header, uint ChannelId, uint TokenId, DateTime CreatedAt, uint RevisedLifetime, byte[]? ServerNonce)
    : IServiceResponse<OpenSecureChannelResponse>
{
    public static uint EncodingId => 449;

    public static OpenSecureChannelResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        reader.ReadUInt32(); // server protocol version
        var channelId = reader.ReadUInt32();
        var tokenId = reader.ReadUInt32();
        var createdAt = reader.ReadDateTime();
        var lifetime = reader.ReadUInt32();
        return new OpenSecureChannelResponse(header, channelId, tokenId, createdAt, lifetime, reader.ReadByteString());
    }
}

/// <summary>CloseSecureChannel request (OPC 10000-4 §5.5.3); the server answers by closing the socket.</summary>
internal sealed record CloseSecureChannelRequest : IServiceRequest
{
    public uint EncodingId => 452;

    public void EncodeBody(UaBinaryWriter writer)
    {
    }
}
