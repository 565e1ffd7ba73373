using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace EdgeCloud.Hub.Fleet.Access;

/// <summary>
/// Makes bearer secrets (API keys, enrollment tokens) and their stored form: 32 random bytes in base64url
/// behind a prefix that says what the secret is; only the SHA-256 (hex) is ever stored or compared.
/// </summary>
internal static class Secrets
{
    public const string ApiKeyPrefix = "ecak_";
    public const string EnrollmentTokenPrefix = "ecet_";

    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A short public id derived from the hash, safe to log and list.</summary>
    public static string PublicId(string hash) => hash[..12];
}
