using System.Buffers.Binary;

namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>SecurityPolicy None: chunks travel as they are; nothing to sign, encrypt or derive.</summary>
internal sealed class NoneSecurity : ChannelSecurity
{
    public const string Uri = "http://opcfoundation.org/UA/SecurityPolicy#None";

    public NoneSecurity(byte[]? serverCertificate = null)
    {
        RemoteCertificate = serverCertificate;
    }

    public override string PolicyUri => Uri;

    public override MessageSecurityMode Mode => MessageSecurityMode.None;

    public override byte[]? LocalCertificate => null;

    public override byte[]? RemoteThumbprint => null;

    public override byte[]? RemoteCertificate { get; }

    public override byte[] CreateNonce() => [];

    public override void OnTokenIssued(uint tokenId, byte[] clientNonce, byte[]? serverNonce)
    {
    }

    public override int MaxPlainTextSize(int chunkSize, int headerLength, bool asymmetric) => chunkSize - headerLength;

    public override byte[] Protect(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> plainText, bool asymmetric, uint tokenId)
    {
        var chunk = new byte[headers.Length + plainText.Length];
        headers.CopyTo(chunk);
        plainText.CopyTo(chunk.AsSpan(headers.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)chunk.Length);
        return chunk;
    }

    public override ArraySegment<byte> Unprotect(byte[] chunk, int headerLength, bool asymmetric, uint tokenId) =>
        new(chunk, headerLength, chunk.Length - headerLength);
}
