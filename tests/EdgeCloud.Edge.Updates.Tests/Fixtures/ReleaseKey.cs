using System.Security.Cryptography;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Proto.Sync.V1;
using Google.Protobuf;

namespace EdgeCloud.Edge.Updates.Tests.Fixtures;

/// <summary>A release key pair made for the test: the public half as the PEM file an agent config names, the private half signs.</summary>
internal sealed class ReleaseKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ReleaseKey(string folder, string name)
    {
        PemPath = Path.Combine(folder, name + ".pem");
        File.WriteAllText(PemPath, _key.ExportSubjectPublicKeyInfoPem());
        Id = ArtifactStatement.KeyId(_key);
    }

    public string PemPath { get; }

    public string Id { get; }

    /// <summary>A directive as the hub would send it for <paramref name="bytes"/>: hashes, chunk hashes, signature by this key.</summary>
    public RolloutDirective Sign(byte[] bytes, string kind, string name, string version, uint chunkSize = 4096, string campaign = "c1", string artifact = "art-1")
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var directive = new RolloutDirective
        {
            CampaignId = campaign,
            Artifact = artifact,
            Kind = kind,
            Name = name,
            Version = version,
            Size = (ulong)bytes.Length,
            Sha256 = sha,
            DownloadPath = $"/api/v1/agent/artifacts/{artifact}/content",
            ChunkSize = chunkSize,
            KeyId = Id,
            HealthWindowSeconds = 20,
        };
        for (var at = 0; at < bytes.Length; at += (int)chunkSize)
        {
            directive.ChunkSha256.Add(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(at, Math.Min((int)chunkSize, bytes.Length - at)))));
        }

        directive.Signature = ByteString.CopyFrom(SignStatement(directive));
        return directive;
    }

    public byte[] SignStatement(RolloutDirective directive) =>
        _key.SignData(ArtifactStatement.Of(directive), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();
}
