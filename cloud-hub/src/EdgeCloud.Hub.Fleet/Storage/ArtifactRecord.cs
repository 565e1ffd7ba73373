namespace EdgeCloud.Hub.Fleet.Storage;

/// <summary>An uploaded, signature-checked artifact; its bytes are the file <c>artifacts/{Id}</c> in the fleet folder.</summary>
/// <param name="Id">Assigned by the hub.</param>
/// <param name="Tenant">Owner; only its users and agents see it.</param>
/// <param name="Kind"><c>agent</c>, <c>firmware</c> or <c>model</c>.</param>
/// <param name="Name">Model name, firmware target, or <c>edge-agent</c>.</param>
/// <param name="Version">Dotted version, optional pre-release suffix.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the whole file.</param>
/// <param name="ChunkSize">Size of the chunks <paramref name="ChunkSha256"/> covers (the last may be shorter).</param>
/// <param name="ChunkSha256">Lower-case hex SHA-256 of each chunk, in order.</param>
/// <param name="Signature">ECDSA P-256 P1363 signature of the release statement.</param>
/// <param name="KeyId">The release key that verified it.</param>
/// <param name="UploadedBy">The admin who uploaded it.</param>
/// <param name="UploadedAt">When.</param>
public sealed record ArtifactRecord(
    string Id,
    string Tenant,
    string Kind,
    string Name,
    string Version,
    long Size,
    string Sha256,
    int ChunkSize,
    IReadOnlyList<string> ChunkSha256,
    byte[] Signature,
    string KeyId,
    string UploadedBy,
    DateTimeOffset UploadedAt);
