using System.Security.Claims;
using System.Security.Cryptography;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Audit;
using EdgeCloud.Hub.Fleet.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>
/// Release keys and artifacts of a tenant. An upload is streamed to a temporary file under
/// <c>artifacts/</c> in the fleet folder while its SHA-256 and per-chunk hashes are computed, then its
/// signature is checked against the tenant's release keys; only a verified artifact gets its file and
/// its row, a refused one leaves nothing behind. Both outcomes are audited.
/// </summary>
internal sealed class ArtifactService(IRolloutStore store, FleetPaths paths, AuditLog audit, IOptions<RolloutOptions> options, TimeProvider time)
{
    public string Folder { get; } = CreateFolder(paths);

    public string PathOf(ArtifactRecord artifact) => Path.Combine(Folder, artifact.Id);

    public async Task<ReleaseKeyRecord> RegisterKeyAsync(ClaimsPrincipal caller, string name, string pem, CancellationToken cancellationToken)
    {
        if (name.Length is 0 or > 100)
        {
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", "field 'name' must have 1 to 100 characters");
        }

        string id;
        string publicPem;
        try
        {
            using var key = ReleaseSignature.ImportPublicKey(pem);
            id = ReleaseSignature.KeyId(key);
            publicPem = ReleaseSignature.PublicPem(key);
        }
        catch (FormatException error)
        {
            await audit.RecordAsync(caller, "release-key.add", name, AuditLog.Refused, error.Message, cancellationToken);
            throw new FleetRequestException(StatusCodes.Status400BadRequest, "Invalid body", $"field 'publicKeyPem': {error.Message}");
        }

        var record = new ReleaseKeyRecord(id, FleetClaims.TenantOf(caller)!, name, publicPem, FleetClaims.ActorOf(caller), time.GetUtcNow());
        if (!await store.AddReleaseKeyAsync(record, cancellationToken))
        {
            throw new FleetRequestException(StatusCodes.Status409Conflict, "Key exists", $"release key {id} is registered already");
        }

        await audit.RecordAsync(caller, "release-key.add", id, AuditLog.Ok, $"name '{name}'", cancellationToken);
        return record;
    }

    public async Task<ArtifactRecord> UploadAsync(
        ClaimsPrincipal caller, HttpContext context, string? kind, string? name, string? version, string? signature, string? keyId, CancellationToken cancellationToken)
    {
        var target = $"{kind}/{name}@{version}";
        try
        {
            return await StoreAsync(caller, context, kind, name, version, signature, keyId, cancellationToken);
        }
        catch (ArtifactRefusedException refused)
        {
            await audit.RecordAsync(caller, "artifact.upload", target, AuditLog.Refused, $"{refused.Reason}: {refused.Message}", CancellationToken.None);
            throw;
        }
    }

    private async Task<ArtifactRecord> StoreAsync(
        ClaimsPrincipal caller, HttpContext context, string? kind, string? name, string? version, string? signature, string? keyId, CancellationToken cancellationToken)
    {
        if (kind is null || !ReleaseSignature.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            throw new ArtifactRefusedException("unknown_kind", $"query 'kind' must be one of {string.Join(", ", ReleaseSignature.Kinds)}, not '{kind}'");
        }

        if (name is null || name.Length is 0 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new ArtifactRefusedException("bad_name", "query 'name' must have 1 to 100 characters of [A-Za-z0-9._-]");
        }

        if (ArtifactVersion.TryParse(version) is null)
        {
            throw new ArtifactRefusedException("bad_version", $"query 'version' '{version}' is not a version (dotted numbers like 1.2.3, optional -suffix)");
        }

        var signatureBytes = DecodeSignature(signature);
        var tenant = FleetClaims.TenantOf(caller)!;
        var keys = await store.ListReleaseKeysAsync(tenant, cancellationToken);
        if (keyId is not null && !keys.Any(k => k.Id == keyId))
        {
            throw new ArtifactRefusedException("unknown_key", $"release key '{keyId}' is not registered in your tenant");
        }

        if (keys.Count == 0)
        {
            throw new ArtifactRefusedException("unknown_key", "your tenant has no release key: register one with POST /api/v1/release-keys first");
        }

        var limit = options.Value.MaxArtifactBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new ArtifactRefusedException("too_large", $"the body of {context.Request.ContentLength} bytes is above the limit of {limit} bytes (Rollouts:MaxArtifactBytes)", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit + 1;
        }

        var id = Guid.NewGuid().ToString("N");
        var temporary = Path.Combine(Folder, $".upload-{id}");
        try
        {
            var (size, sha256, chunks) = await CopyAsync(context.Request.Body, temporary, limit, cancellationToken);
            if (size == 0)
            {
                throw new ArtifactRefusedException("empty", "the body is empty: send the artifact's bytes");
            }

            var statement = ReleaseSignature.Statement(kind, name, version!, size, sha256);
            var signedBy = keys.Where(k => keyId is null || k.Id == keyId).FirstOrDefault(k => Verifies(k, statement, signatureBytes))
                ?? throw new ArtifactRefusedException(
                    "bad_signature",
                    keyId is null
                        ? $"the signature verifies with none of your tenant's {keys.Count} release key(s) for {kind}/{name} {version}, {size} bytes, sha256 {sha256}"
                        : $"the signature does not verify with release key {keyId} for {kind}/{name} {version}, {size} bytes, sha256 {sha256}");
            var artifact = new ArtifactRecord(
                id, tenant, kind, name, version!, size, sha256, options.Value.ChunkSize, chunks, signatureBytes, signedBy.Id, FleetClaims.ActorOf(caller), time.GetUtcNow());
            File.Move(temporary, PathOf(artifact));
            await store.AddArtifactAsync(artifact, cancellationToken);
            await audit.RecordAsync(caller, "artifact.upload", id, AuditLog.Ok, $"{kind}/{name} {version}, {size} bytes, sha256 {sha256}, key {signedBy.Id}", cancellationToken);
            return artifact;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private async Task<(long Size, string Sha256, List<string> Chunks)> CopyAsync(Stream body, string path, long limit, CancellationToken cancellationToken)
    {
        var chunkSize = options.Value.ChunkSize;
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var chunk = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = new List<string>();
        var buffer = new byte[81920];
        long size = 0;
        var inChunk = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            int read;
            try
            {
                read = await body.ReadAsync(buffer, cancellationToken);
            }
            catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(limit);
            }

            while (read > 0)
            {
                size += read;
                if (size > limit)
                {
                    throw TooLarge(limit);
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                whole.AppendData(buffer, 0, read);
                for (var offset = 0; offset < read;)
                {
                    // A chunk boundary can fall inside a read: hash up to it, close the chunk, go on.
                    var take = Math.Min(read - offset, chunkSize - inChunk);
                    chunk.AppendData(buffer, offset, take);
                    offset += take;
                    inChunk += take;
                    if (inChunk == chunkSize)
                    {
                        chunks.Add(Convert.ToHexStringLower(chunk.GetHashAndReset()));
                        inChunk = 0;
                    }
                }

                try
                {
                    read = await body.ReadAsync(buffer, cancellationToken);
                }
                catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    throw TooLarge(limit);
                }
            }

            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        if (inChunk > 0)
        {
            chunks.Add(Convert.ToHexStringLower(chunk.GetHashAndReset()));
        }

        return (size, Convert.ToHexStringLower(whole.GetHashAndReset()), chunks);
    }

    private static ArtifactRefusedException TooLarge(long limit) =>
        new("too_large", $"the body is longer than the limit of {limit} bytes (Rollouts:MaxArtifactBytes)", StatusCodes.Status413PayloadTooLarge);

    private static byte[] DecodeSignature(string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            throw new ArtifactRefusedException("missing_signature", "query 'signature' is required: the base64 signature `cloud-hub release sign` prints");
        }

        var bytes = new byte[signature.Length];
        return Convert.TryFromBase64String(signature, bytes, out var written) && written == ReleaseSignature.SignatureLength
            ? bytes[..written]
            : throw new ArtifactRefusedException("bad_signature", $"query 'signature' must be base64 of a {ReleaseSignature.SignatureLength}-byte ECDSA P-256 signature (r||s)");
    }

    private static bool Verifies(ReleaseKeyRecord key, byte[] statement, byte[] signature)
    {
        using var ecdsa = ReleaseSignature.ImportPublicKey(key.PublicKeyPem);
        return ReleaseSignature.Verify(ecdsa, statement, signature);
    }

    private static string CreateFolder(FleetPaths paths)
    {
        var folder = Path.Combine(paths.Folder, "artifacts");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
