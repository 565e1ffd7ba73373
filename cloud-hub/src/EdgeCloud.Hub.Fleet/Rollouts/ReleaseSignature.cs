using System.Security.Cryptography;
using System.Text;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>
/// The release signature of docs/rollouts.md: ECDSA P-256 over SHA-256 of the UTF-8 statement
/// <c>edgecloud-artifact-v1\n{kind}\n{name}\n{version}\n{size}\n{sha256}\n</c>, IEEE P1363 (r||s, 64 bytes).
/// A key's id is the lower-case hex SHA-256 of its DER SubjectPublicKeyInfo.
/// </summary>
public static class ReleaseSignature
{
    /// <summary>Length of a P1363 P-256 signature.</summary>
    public const int SignatureLength = 64;

    /// <summary>The kinds of artifact the agent installs.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["agent", "firmware", "model"];

    /// <summary>The exact bytes that are signed.</summary>
    public static byte[] Statement(string kind, string name, string version, long size, string sha256) =>
        Encoding.UTF8.GetBytes($"edgecloud-artifact-v1\n{kind}\n{name}\n{version}\n{size.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{sha256}\n");

    /// <summary>
    /// Reads a PEM public key (SubjectPublicKeyInfo; a PEM private key is accepted too and only its public
    /// half kept) and checks it is on P-256. Throws <see cref="FormatException"/> saying what is wrong.
    /// </summary>
    public static ECDsa ImportPublicKey(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception error) when (error is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException($"not a PEM ECDSA key ({error.Message})", error);
        }

        var curve = key.ExportParameters(false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new FormatException($"the key is on curve '{curve.Oid.FriendlyName ?? curve.Oid.Value ?? "explicit"}', not P-256 (nistP256)");
        }

        return key;
    }

    /// <summary>The key's id: lower-case hex SHA-256 of its DER SubjectPublicKeyInfo.</summary>
    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>The public half of <paramref name="key"/> as PEM SubjectPublicKeyInfo.</summary>
    public static string PublicPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Signs a statement with a private key.</summary>
    public static byte[] Sign(ECDsa key, byte[] statement) => key.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>True when <paramref name="signature"/> is <paramref name="key"/>'s signature of <paramref name="statement"/>.</summary>
    public static bool Verify(ECDsa key, byte[] statement, byte[] signature) =>
        signature.Length == SignatureLength && key.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
