namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>The keys of one direction of one token: HMAC signing key, AES key and IV (OPC 10000-6 §6.7.5).</summary>
internal sealed record SymmetricKeys(byte[] Signing, byte[] Encrypting, byte[] Iv)
{
    /// <summary>Basic256Sha256: 32-byte signing key, 32-byte AES-256 key, 16-byte IV from P_SHA256(secret, seed).</summary>
    public static SymmetricKeys Derive(byte[] secret, byte[] seed)
    {
        var bytes = PSha256.Derive(secret, seed, 32 + 32 + 16);
        return new SymmetricKeys(bytes[..32], bytes[32..64], bytes[64..]);
    }
}
