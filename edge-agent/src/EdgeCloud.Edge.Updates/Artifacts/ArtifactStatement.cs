using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Edge.Updates.Artifacts;

/// <summary>
/// What a release key signs (docs/rollouts.md): the UTF-8 bytes of
/// <c>edgecloud-artifact-v1\n{kind}\n{name}\n{version}\n{size}\n{sha256}\n</c>. Binding kind, name and version
/// into the statement stops a signed model from being replayed as an agent build or an old build as a new one.
/// </summary>
public static class ArtifactStatement
{
    /// <summary>The statement's bytes.</summary>
    public static byte[] Of(string kind, string name, string version, ulong size, string sha256) =>
        Encoding.UTF8.GetBytes($"edgecloud-artifact-v1\n{kind}\n{name}\n{version}\n{size.ToString(CultureInfo.InvariantCulture)}\n{sha256}\n");

    /// <summary>The statement a directive claims.</summary>
    public static byte[] Of(RolloutDirective directive)
    {
        ArgumentNullException.ThrowIfNull(directive);
        return Of(directive.Kind, directive.Name, directive.Version, directive.Size, directive.Sha256);
    }

    /// <summary>A key's id: the lower-case hex SHA-256 of its DER SubjectPublicKeyInfo.</summary>
    public static string KeyId(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }
}
