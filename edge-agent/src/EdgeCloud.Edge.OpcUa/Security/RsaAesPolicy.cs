namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>
/// One of the RSA + AES security policies of OPC 10000-7 this client speaks. They share the
/// asymmetric algorithms (RSA-OAEP with SHA-1 to encrypt, RSA-PKCS#1 v1.5 with SHA-256 to sign),
/// HMAC-SHA256 with a 32-byte derived signing key, AES-CBC, P_SHA256 key derivation and 32-byte
/// nonces; they differ only in the AES key length.
/// </summary>
internal sealed record RsaAesPolicy(string Name, int EncryptingKeyLength)
{
    /// <summary>Basic256Sha256: AES-256-CBC (32-byte derived encrypting key).</summary>
    public static readonly RsaAesPolicy Basic256Sha256 = new("Basic256Sha256", 32);

    /// <summary>Aes128_Sha256_RsaOaep: AES-128-CBC (16-byte derived encrypting key), otherwise as Basic256Sha256.</summary>
    public static readonly RsaAesPolicy Aes128Sha256RsaOaep = new("Aes128_Sha256_RsaOaep", 16);

    public const int SigningKeyLength = 32;

    public const int NonceLength = 32;

    public string Uri => UaSecurityFactory.PolicyPrefix + Name;

    /// <summary>The policy of a configured name, or null.</summary>
    public static RsaAesPolicy? Find(string name) =>
        name == Basic256Sha256.Name ? Basic256Sha256 : name == Aes128Sha256RsaOaep.Name ? Aes128Sha256RsaOaep : null;
}
