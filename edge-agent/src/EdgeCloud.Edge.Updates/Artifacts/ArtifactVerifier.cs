using System.Security.Cryptography;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Edge.Updates.Artifacts;

/// <summary>
/// Checks a downloaded artifact before anything is installed, in the order that names the most specific
/// cause: size, SHA-256, signature (against <see cref="ReleaseKeys"/>), then the version against what is
/// installed. Throws <see cref="RolloutRefusedException"/> with the contract's reason code; the file is not touched.
/// </summary>
internal static class ArtifactVerifier
{
    /// <summary>Verifies <paramref name="file"/> against <paramref name="directive"/>; <paramref name="installed"/> is the version installed now (null when none).</summary>
    public static void Verify(string file, RolloutDirective directive, ReleaseKeys keys, string? installed)
    {
        var length = new FileInfo(file).Length;
        if ((ulong)length != directive.Size)
        {
            throw new RolloutRefusedException(RolloutReasons.SizeMismatch, $"the artifact has {length} bytes, {directive.Size} were declared");
        }

        string sha;
        using (var stream = File.OpenRead(file))
        {
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (!string.Equals(sha, directive.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new RolloutRefusedException(RolloutReasons.HashMismatch, $"the artifact's SHA-256 is {sha}, the directive declares {directive.Sha256}");
        }

        VerifySignature(directive, keys);
        if (installed is not null && !directive.AllowDowngrade && ArtifactVersion.Compare(directive.Version, installed) < 0)
        {
            throw new RolloutRefusedException(RolloutReasons.OlderVersion, $"version {directive.Version} is older than the installed {installed} and the campaign is not a downgrade");
        }
    }

    /// <summary>Checks the signature over the directive's statement with the named release key.</summary>
    public static void VerifySignature(RolloutDirective directive, ReleaseKeys keys)
    {
        var statement = ArtifactStatement.Of(directive);
        var signature = directive.Signature.ToByteArray();
        if (directive.KeyId.Length > 0)
        {
            var key = keys.Find(directive.KeyId.ToLowerInvariant())
                ?? throw new RolloutRefusedException(RolloutReasons.UnknownKey, $"signed with key {directive.KeyId}, which is not among this agent's release keys ({Describe(keys)})");
            if (!key.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                throw new RolloutRefusedException(RolloutReasons.BadSignature, $"the signature does not verify with release key {directive.KeyId}");
            }

            return;
        }

        // No key id (a field install): any configured key may have signed it.
        if (keys.Ids.Count == 0)
        {
            throw new RolloutRefusedException(RolloutReasons.UnknownKey, "this agent has no release keys (updates.releaseKeys in agent.json)");
        }

        if (!keys.All.Any(k => k.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)))
        {
            throw new RolloutRefusedException(RolloutReasons.BadSignature, $"the signature does not verify with any release key of this agent ({Describe(keys)})");
        }
    }

    private static string Describe(ReleaseKeys keys) =>
        keys.Ids.Count == 0 ? "none configured in updates.releaseKeys" : string.Join(", ", keys.Ids);
}
