namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>
/// How one secure channel protects its chunks (OPC 10000-6 §6.7.2): asymmetric for
/// OpenSecureChannel, symmetric (keyed per token) for everything else. A chunk is handed over
/// as its headers and its plain text (sequence header and body); what comes back is the chunk
/// as sent, size patched. Receiving verifies before anything is decoded and throws
/// <see cref="UaStatusException"/> (BadSecurityChecksFailed) when a check fails.
/// </summary>
internal abstract class ChannelSecurity
{
    public abstract string PolicyUri { get; }

    public abstract MessageSecurityMode Mode { get; }

    /// <summary>Our certificate (DER) for the asymmetric header, or null.</summary>
    public abstract byte[]? LocalCertificate { get; }

    /// <summary>SHA-1 thumbprint of the server certificate for the asymmetric header, or null.</summary>
    public abstract byte[]? RemoteThumbprint { get; }

    /// <summary>The server certificate the client uses (DER), or null.</summary>
    public abstract byte[]? RemoteCertificate { get; }

    /// <summary>A fresh client nonce for OpenSecureChannel; empty for None.</summary>
    public abstract byte[] CreateNonce();

    /// <summary>Derives the symmetric keys of a newly issued token.</summary>
    public abstract void OnTokenIssued(uint tokenId, byte[] clientNonce, byte[]? serverNonce);

    /// <summary>How many plain-text bytes (sequence header included) fit in a chunk of <paramref name="chunkSize"/>.</summary>
    public abstract int MaxPlainTextSize(int chunkSize, int headerLength, bool asymmetric);

    /// <summary>Builds the chunk as sent: headers, then the protected plain text; the size field is patched.</summary>
    public abstract byte[] Protect(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> plainText, bool asymmetric, uint tokenId);

    /// <summary>Verifies (and decrypts) a received chunk; returns where its plain text lies inside the returned buffer.</summary>
    public abstract ArraySegment<byte> Unprotect(byte[] chunk, int headerLength, bool asymmetric, uint tokenId);

    /// <summary>The client signature of ActivateSession: server certificate and nonce signed with our key (OPC 10000-4 §5.6.3); none for None.</summary>
    public virtual SignatureData SignSession(byte[]? serverCertificate, byte[]? serverNonce) => SignatureData.None;

    /// <summary>Checks the server signature of CreateSession: our certificate and nonce signed with the server key (OPC 10000-4 §5.6.2); nothing to check for None.</summary>
    public virtual bool VerifySession(byte[]? clientCertificate, byte[] clientNonce, SignatureData serverSignature) => true;
}
