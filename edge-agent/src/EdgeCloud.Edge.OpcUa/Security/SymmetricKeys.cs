namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>The keys of one direction of one token: HMAC signing key, AES key and IV (OPC 10000-6 §6.7.5).</summary>
internal sealed record SymmetricKeys(byte[] Signing, byte[] Encrypting, byte[] Iv)
{
    private const int IvLength = 16;

    /// <summary>P_SHA256(secret, seed) cut into a 32-byte signing key, the policy's AES key (16 or 32 bytes) and a 16-byte IV, in that order.</summary>
    public static SymmetricKeys Derive(byte[] secret, byte[] seed, int encryptingKeyLength)
    {
        const int signing = RsaAesPolicy.SigningKeyLength;
        var bytes = PSha256.Derive(secret, seed, signing + encryptingKeyLength + IvLength);
        return new SymmetricKeys(bytes[..signing], bytes[signing..(signing + encryptingKeyLength)], bytes[(signing + encryptingKeyLength)..]);
    }
}
