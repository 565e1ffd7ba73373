using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Proto.Sync.V1;
using Polly;
using Polly.Retry;

namespace EdgeCloud.Edge.Updates.Download;

/// <summary>
/// Downloads an artifact in chunks into <c>artifact.part</c> of a work folder, resuming with
/// <c>Range: bytes=offset-</c> after the last verified chunk (<see cref="DownloadRecord"/>). Each chunk is
/// checked against the directive's chunk_sha256 as it lands; more bytes than declared are cut off at once
/// (size_mismatch); an attempt ends when no byte came for <see cref="DownloadConfig.StallTimeout"/> or fewer
/// than <see cref="DownloadConfig.MinBytesPerSecond"/> came on average over that span (a 1 byte/s trickle).
/// Attempts are bounded and spaced with jittered exponential backoff.
/// </summary>
internal sealed class ArtifactDownloader(HttpClient http, Uri hub, DownloadConfig limits, TimeProvider time)
{
    /// <summary>Chunking when the directive gives none (no per-chunk hashes then; the whole hash still decides).</summary>
    public const int DefaultChunkSize = 1 << 20;

    public const string PartFile = "artifact.part";

    /// <summary>Delay before the second attempt; doubles (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Downloads into <paramref name="folder"/> and returns the complete file's path; <paramref name="progress"/> gets the verified byte count.</summary>
    public async Task<string> DownloadAsync(RolloutDirective directive, string folder, Action<ulong> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var part = Path.Combine(folder, PartFile);
        var chunkSize = directive.ChunkSize > 0 ? directive.ChunkSize : DefaultChunkSize;
        var record = DownloadRecord.Read(folder);
        if (record is null || record.Artifact != directive.Artifact || record.Sha256 != directive.Sha256 || record.Size != directive.Size || record.ChunkSize != chunkSize)
        {
            record = new DownloadRecord(directive.Artifact, directive.Sha256, directive.Size, chunkSize, 0);
            File.Delete(part);
            record.Write(folder);
        }

        if (directive.ChunkSha256.Count > 0 && directive.ChunkSha256.Count != ChunkCount(directive.Size, chunkSize))
        {
            throw new RolloutRefusedException(RolloutReasons.DownloadFailed, $"the directive lists {directive.ChunkSha256.Count} chunk hashes; {directive.Size} bytes in chunks of {chunkSize} make {ChunkCount(directive.Size, chunkSize)}");
        }

        var retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<DownloadAttemptException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstBackoff,
                MaxDelay = MaxBackoff,
                MaxRetryAttempts = Math.Max(1, limits.Attempts - 1),
            })
            .Build();
        try
        {
            if (limits.Attempts <= 1)
            {
                record = await AttemptAsync(directive, folder, part, record, progress, cancellationToken);
            }
            else
            {
                // Each attempt starts from the record the last one left on disk.
                record = await retry.ExecuteAsync(
                    async ct => await AttemptAsync(directive, folder, part, DownloadRecord.Read(folder) ?? record, progress, ct), cancellationToken);
            }
        }
        catch (DownloadAttemptException ex)
        {
            throw new RolloutRefusedException(ex.Reason, $"{ex.Message} (after {limits.Attempts} attempt{(limits.Attempts == 1 ? "" : "s")})", ex);
        }

        return part;
    }

    private static int ChunkCount(ulong size, uint chunkSize) => (int)((size + chunkSize - 1) / chunkSize);

    private async Task<DownloadRecord> AttemptAsync(RolloutDirective directive, string folder, string part, DownloadRecord record, Action<ulong> progress, CancellationToken cancellationToken)
    {
        var size = directive.Size;
        var chunkSize = record.ChunkSize;
        var offset = Math.Min((ulong)record.Chunks * chunkSize, size);
        progress(offset);
        if (offset == size)
        {
            return record;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub, directive.DownloadPath))
        {
            // The hub's gRPC address serves HTTP/2 only when it is cleartext (h2c, prior knowledge); TLS negotiates.
            Version = HttpVersion.Version20,
            VersionPolicy = hub.Scheme == Uri.UriSchemeHttp ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Range = new RangeHeaderValue((long)offset, null);
        HttpResponseMessage response;
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(limits.StallTimeout);
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DownloadAttemptException(ex is OperationCanceledException ? RolloutReasons.DownloadStalled : RolloutReasons.DownloadFailed, $"GET {request.RequestUri} failed: {ex.Message}");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.OK && offset > 0)
            {
                // The server ignored the range: take the whole body from the start.
                offset = 0;
                record = record with { Chunks = 0 };
            }
            else if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                var from = response.Content.Headers.ContentRange?.From;
                if (from != (long)offset)
                {
                    throw new DownloadAttemptException(RolloutReasons.DownloadFailed, $"asked for bytes from {offset}, the hub answered a range from {from?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nowhere"}");
                }
            }
            else if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new DownloadAttemptException(RolloutReasons.DownloadFailed, $"GET {request.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength is { } length && (ulong)length > size - offset)
            {
                throw new RolloutRefusedException(RolloutReasons.SizeMismatch, $"the hub announces {length} bytes from offset {offset}; {size} were declared in all");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await CopyAsync(body, directive, folder, part, record, offset, progress, cancellationToken);
        }
    }

    private async Task<DownloadRecord> CopyAsync(
        Stream body, RolloutDirective directive, string folder, string part, DownloadRecord record, ulong offset, Action<ulong> progress, CancellationToken cancellationToken)
    {
        var size = directive.Size;
        var chunkSize = record.ChunkSize;
        await using var file = new FileStream(part, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        file.SetLength((long)offset);
        file.Position = (long)offset;
        using var chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var inChunk = 0u;
        var position = offset;
        var buffer = new byte[64 * 1024];
        var windowStart = time.GetTimestamp();
        var windowBytes = 0L;
        while (true)
        {
            int read;
            using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                stall.CancelAfter(limits.StallTimeout);
                try
                {
                    read = await body.ReadAsync(buffer, stall.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new DownloadAttemptException(RolloutReasons.DownloadStalled, $"no byte for {limits.StallTimeout.TotalSeconds:0.#} s at {position} of {size} bytes");
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    throw new DownloadAttemptException(RolloutReasons.DownloadFailed, $"the transfer broke at {position} of {size} bytes: {ex.Message}");
                }
            }

            if (read == 0)
            {
                break;
            }

            if (position + (ulong)read > size)
            {
                // Never write past the declared size: the rest of the body is not read at all.
                throw new RolloutRefusedException(RolloutReasons.SizeMismatch, $"the hub sent more than the declared {size} bytes");
            }

            var data = buffer.AsSpan(0, read);
            while (data.Length > 0)
            {
                var take = (int)Math.Min((uint)data.Length, chunkSize - inChunk);
                file.Write(data[..take]);
                chunkHash.AppendData(data[..take]);
                inChunk += (uint)take;
                position += (ulong)take;
                data = data[take..];
                if (inChunk == chunkSize || position == size)
                {
                    record = CompleteChunk(directive, folder, file, chunkHash, record);
                    inChunk = 0;
                    progress(position);
                }
            }

            windowBytes += read;
            var elapsed = time.GetElapsedTime(windowStart);
            if (elapsed >= limits.StallTimeout)
            {
                if (windowBytes < limits.MinBytesPerSecond * elapsed.TotalSeconds)
                {
                    throw new DownloadAttemptException(RolloutReasons.DownloadStalled, $"{windowBytes} bytes in {elapsed.TotalSeconds:0.#} s is below the minimum of {limits.MinBytesPerSecond} bytes/s (at {position} of {size} bytes)");
                }

                windowStart = time.GetTimestamp();
                windowBytes = 0;
            }
        }

        if (position < size)
        {
            throw new DownloadAttemptException(RolloutReasons.DownloadFailed, $"the hub ended the transfer at {position} of {size} bytes");
        }

        return record;
    }

    private static DownloadRecord CompleteChunk(RolloutDirective directive, string folder, FileStream file, IncrementalHash chunkHash, DownloadRecord record)
    {
        var index = record.Chunks;
        var hash = Convert.ToHexStringLower(chunkHash.GetHashAndReset());
        if (directive.ChunkSha256.Count > 0 && !string.Equals(hash, directive.ChunkSha256[index], StringComparison.OrdinalIgnoreCase))
        {
            throw new RolloutRefusedException(RolloutReasons.ChunkHashMismatch, $"chunk {index} (bytes from {(ulong)index * record.ChunkSize}) has SHA-256 {hash}, the directive declares {directive.ChunkSha256[index]}");
        }

        // The bytes reach the disk before the record says they are there.
        file.Flush(flushToDisk: true);
        var next = record with { Chunks = index + 1 };
        next.Write(folder);
        return next;
    }
}
