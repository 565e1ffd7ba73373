namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>An application's description (OPC 10000-4 §7.2).</summary>
internal sealed record ApplicationDescription(string? ApplicationUri, string? ProductUri, LocalizedText ApplicationName, uint ApplicationType, string[] DiscoveryUrls)
{
    public static ApplicationDescription Decode(UaBinaryReader reader)
    {
        var uri = reader.ReadString();
        var product = reader.ReadString();
        var name = reader.ReadLocalizedText();
        var type = reader.ReadUInt32();
        reader.ReadString(); // gateway server uri
        reader.ReadString(); // discovery profile uri
        return new ApplicationDescription(uri, product, name, type, reader.ReadList(r => r.ReadString() ?? "", 4));
    }

    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteString(ApplicationUri);
        writer.WriteString(ProductUri);
        writer.WriteLocalizedText(ApplicationName);
        writer.WriteUInt32(ApplicationType);
        writer.WriteString(null);
        writer.WriteString(null);
        writer.WriteArray(DiscoveryUrls, (w, s) => w.WriteString(s));
    }
}

/// <summary>An identity an endpoint accepts (OPC 10000-4 §7.42); <see cref="SecurityPolicyUri"/> says how secrets are encrypted.</summary>
internal sealed record UserTokenPolicy(string? PolicyId, UserTokenType TokenType, string? SecurityPolicyUri)
{
    public static UserTokenPolicy Decode(UaBinaryReader reader)
    {
        var id = reader.ReadString();
        var type = (UserTokenType)reader.ReadUInt32();
        reader.ReadString(); // issued token type
        reader.ReadString(); // issuer endpoint url
        return new UserTokenPolicy(id, type, reader.ReadString());
    }
}

/// <summary>One endpoint of a server (OPC 10000-4 §7.14).</summary>
internal sealed record EndpointDescription(
    string? EndpointUrl,
    ApplicationDescription Server,
    byte[]? ServerCertificate,
    MessageSecurityMode SecurityMode,
    string? SecurityPolicyUri,
    UserTokenPolicy[] UserIdentityTokens,
    string? TransportProfileUri,
    byte SecurityLevel)
{
    public static EndpointDescription Decode(UaBinaryReader reader) => new(
        reader.ReadString(),
        ApplicationDescription.Decode(reader),
        reader.ReadByteString(),
        (MessageSecurityMode)reader.ReadUInt32(),
        reader.ReadString(),
        reader.ReadList(UserTokenPolicy.Decode, 20),
        reader.ReadString(),
        reader.ReadByte());
}

/// <summary>GetEndpoints request (OPC 10000-4 §5.4.4).</summary>
internal sealed record GetEndpointsRequest(string EndpointUrl) : IServiceRequest
{
    public uint EncodingId => 428;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteString(EndpointUrl);
        writer.WriteInt32(0); // locale ids
        writer.WriteInt32(0); // profile uris
    }
}

/// <summary>GetEndpoints response.</summary>
internal sealed record GetEndpointsResponse(ResponseHeader Header, EndpointDescription[] Endpoints) : IServiceResponse<GetEndpointsResponse>
{
    public static uint EncodingId => 431;

    public static GetEndpointsResponse Decode(UaBinaryReader reader, ResponseHeader header) =>
        new(header, reader.ReadList(EndpointDescription.Decode, 30));
}
