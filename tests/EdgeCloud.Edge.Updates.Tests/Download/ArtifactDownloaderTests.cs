using System.Security.Cryptography;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Download;
using EdgeCloud.Edge.Updates.Tests.Fixtures;

namespace EdgeCloud.Edge.Updates.Tests.Download;

/// <summary>The downloader against a real Kestrel serving the artifact route with Range, and misbehaving.</summary>
public sealed class ArtifactDownloaderTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ReleaseKey _key;
    private HubPeer _hub = null!;

    public ArtifactDownloaderTests() => _key = new ReleaseKey(_folder.Path, "release");

    public async Task InitializeAsync() => _hub = await HubPeer.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public void Dispose()
    {
        _key.Dispose();
        _folder.Dispose();
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private ArtifactDownloader Downloader(int attempts = 1, int stallSeconds = 10, long minRate = 1024) =>
        new(new HttpClient { DefaultRequestHeaders = { { "X-Agent-Id", "rollout-gw" } } }, _hub.Url, new DownloadConfig(TimeSpan.FromSeconds(stallSeconds), minRate, attempts), TimeProvider.System) { FirstBackoff = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task Download_ConnectionDroppedMidway_NextRunResumesWithRangeAfterLastVerifiedChunk()
    {
        var bytes = RandomBytes(100_000);
        var directive = _key.Sign(bytes, "firmware", "vfd", "1.0.0", chunkSize: 8192);
        _hub.Script.Artifacts["art-1"] = new ServedArtifact(bytes) { AbortOnceAfter = 30_000 };
        var work = _folder["work"];

        // First run (one attempt, as if the agent was killed): the link drops after 30 000 bytes.
        var first = await Assert.ThrowsAsync<RolloutRefusedException>(() => Downloader().DownloadAsync(directive, work, _ => { }, CancellationToken.None));
        Assert.Equal(RolloutReasons.DownloadFailed, first.Reason);
        Assert.Equal(3, DownloadRecord.Read(work)!.Chunks); // 3 whole chunks of 8192 verified, the 4th was partial

        // A new downloader (a restarted agent) resumes from the record on disk.
        var done = new List<ulong>();
        var file = await Downloader().DownloadAsync(directive, work, done.Add, CancellationToken.None);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(file, CancellationToken.None));
        Assert.Equal(["art-1 bytes=0-", "art-1 bytes=24576-"], _hub.Script.Requests.ToArray());
        Assert.Equal(24_576UL, done[0]);
        Assert.Equal(100_000UL, done[^1]);
    }

    [Fact]
    public async Task Download_DroppedWithRetriesLeft_ResumesWithinTheSameRun()
    {
        var bytes = RandomBytes(50_000);
        var directive = _key.Sign(bytes, "firmware", "vfd", "1.0.0", chunkSize: 4096);
        _hub.Script.Artifacts["art-1"] = new ServedArtifact(bytes) { AbortOnceAfter = 20_000 };

        var file = await Downloader(attempts: 3).DownloadAsync(directive, _folder["work"], _ => { }, CancellationToken.None);

        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(file, CancellationToken.None)));
        // The second request resumes at a chunk boundary after what arrived (16384 unless the reset overtook bytes in flight).
        var requests = _hub.Script.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        var resumedAt = long.Parse(requests[1]["art-1 bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumedAt, 4096, 16384);
        Assert.Equal(0, resumedAt % 4096);
    }

    [Fact]
    public async Task Download_ServerSendsMoreThanDeclared_CutOffAsSizeMismatchWithNothingPastTheSize()
    {
        var bytes = RandomBytes(20_000);
        var directive = _key.Sign(bytes, "firmware", "vfd", "1.0.0", chunkSize: 4096);
        _hub.Script.Artifacts["art-1"] = new ServedArtifact(bytes) { ExtraBytes = 5000 };

        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => Downloader(attempts: 3).DownloadAsync(directive, _folder["work"], _ => { }, CancellationToken.None));

        Assert.Equal(RolloutReasons.SizeMismatch, refused.Reason);
        Assert.True(new FileInfo(Path.Combine(_folder["work"], ArtifactDownloader.PartFile)).Length <= bytes.Length);
        Assert.Single(_hub.Script.Requests); // not retried: the server's answer, not the link, is wrong
    }

    [Fact]
    public async Task Download_OneBytePerSecondTrickle_EndsAsDownloadStalled()
    {
        var bytes = RandomBytes(10_000);
        var directive = _key.Sign(bytes, "firmware", "vfd", "1.0.0", chunkSize: 4096);
        _hub.Script.Artifacts["art-1"] = new ServedArtifact(bytes) { Trickle = true };

        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => Downloader(attempts: 2, stallSeconds: 2, minRate: 100).DownloadAsync(directive, _folder["work"], _ => { }, CancellationToken.None));

        Assert.Equal(RolloutReasons.DownloadStalled, refused.Reason);
        Assert.Contains("below the minimum of 100 bytes/s", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, _hub.Script.Requests.Count);
    }

    [Fact]
    public async Task Download_ChunkNotAsDeclared_ChunkHashMismatchAndOnlyVerifiedChunksRecorded()
    {
        var bytes = RandomBytes(40_000);
        var directive = _key.Sign(bytes, "firmware", "vfd", "1.0.0", chunkSize: 8192);
        var served = (byte[])bytes.Clone();
        served[20_000] ^= 0x01; // one flipped bit in chunk 2
        _hub.Script.Artifacts["art-1"] = new ServedArtifact(served);

        var refused = await Assert.ThrowsAsync<RolloutRefusedException>(() => Downloader(attempts: 3).DownloadAsync(directive, _folder["work"], _ => { }, CancellationToken.None));

        Assert.Equal(RolloutReasons.ChunkHashMismatch, refused.Reason);
        Assert.Contains("chunk 2", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, DownloadRecord.Read(_folder["work"])!.Chunks);
    }
}
