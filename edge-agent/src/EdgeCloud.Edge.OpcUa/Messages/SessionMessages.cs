namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>An algorithm URI and a signature (OPC 10000-4 §7.37); both null when not signed.</summary>
internal sealed record SignatureData(string? Algorithm, byte[]? Signature)
{
    public static SignatureData None { get; } = new(null, null);

    public static SignatureData Decode(UaBinaryReader reader) => new(reader.ReadString(), reader.ReadByteString());

    public void Encode(UaBinaryWriter writer)
    {
        writer.WriteString(Algorithm);
        writer.WriteByteString(Signature);
    }
}

/// <summary>CreateSession request (OPC 10000-4 §5.6.2).</summary>
internal sealed record CreateSessionRequest(
    ApplicationDescription ClientDescription,
    string EndpointUrl,
    string SessionName,
    byte[] ClientNonce,
    byte[]? ClientCertificate,
    double RequestedSessionTimeout,
    uint MaxResponseMessageSize) : IServiceRequest
{
    public uint EncodingId => 461;

    public void EncodeBody(UaBinaryWriter writer)
    {
        ClientDescription.Encode(writer);
        writer.WriteString(null); // server uri
        writer.WriteString(EndpointUrl);
        writer.WriteString(SessionName);
        writer.WriteByteString(ClientNonce);
        writer.WriteByteString(ClientCertificate);
        writer.WriteDouble(RequestedSessionTimeout);
        writer.WriteUInt32(MaxResponseMessageSize);
    }
}

/// <summary>CreateSession response.</summary>
internal sealed record CreateSessionResponse(
    ResponseHeader Header,
    NodeId SessionId,
    NodeId AuthenticationToken,
    double RevisedSessionTimeout,
    byte[]? ServerNonce,
    byte[]? ServerCertificate,
    EndpointDescription[] ServerEndpoints,
    SignatureData ServerSignature,
    uint MaxRequestMessageSize) : IServiceResponse<CreateSessionResponse>
{
    public static uint EncodingId => 464;

    public static CreateSessionResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var sessionId = reader.ReadNodeId();
        var token = reader.ReadNodeId();
        var timeout = reader.ReadDouble();
        var nonce = reader.ReadByteString();
        var certificate = reader.ReadByteString();
        var endpoints = reader.ReadList(EndpointDescription.Decode, 30);
        reader.ReadArray(r => (r.ReadByteString(), r.ReadByteString()), 8); // server software certificates
        var signature = SignatureData.Decode(reader);
        return new CreateSessionResponse(header, sessionId, token, timeout, nonce, certificate, endpoints, signature, reader.ReadUInt32());
    }
}

/// <summary>ActivateSession request (OPC 10000-4 §5.6.3).</summary>
internal sealed record ActivateSessionRequest(SignatureData ClientSignature, ExtensionObject UserIdentityToken, SignatureData UserTokenSignature) : IServiceRequest
{
    public uint EncodingId => 467;

    public void EncodeBody(UaBinaryWriter writer)
    {
        ClientSignature.Encode(writer);
        writer.WriteInt32(0); // client software certificates
        writer.WriteArray(["en"], (w, s) => w.WriteString(s));
        writer.WriteExtensionObject(UserIdentityToken);
        UserTokenSignature.Encode(writer);
    }
}

/// <summary>ActivateSession response: a new server nonce for the next activation.</summary>
internal sealed record ActivateSessionResponse(ResponseHeader Header, byte[]? ServerNonce) : IServiceResponse<ActivateSessionResponse>
{
    public static uint EncodingId => 470;

    public static ActivateSessionResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var nonce = reader.ReadByteString();
        reader.ReadArray(r => r.ReadStatusCode(), 4);
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return new ActivateSessionResponse(header, nonce);
    }
}

/// <summary>CloseSession request (OPC 10000-4 §5.6.4).</summary>
internal sealed record CloseSessionRequest(bool DeleteSubscriptions) : IServiceRequest
{
    public uint EncodingId => 473;

    public void EncodeBody(UaBinaryWriter writer) => writer.WriteBoolean(DeleteSubscriptions);
}

/// <summary>CloseSession response.</summary>
internal sealed record CloseSessionResponse(ResponseHeader Header) : IServiceResponse<CloseSessionResponse>
{
    public static uint EncodingId => 476;

    public static CloseSessionResponse Decode(UaBinaryReader reader, ResponseHeader header) => new(header);
}
