using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Api;

/// <summary>
/// A hub whose data makes rollups and analytics exact: from <see cref="Start"/> (22:00:00Z), one point every
/// 30 s for 3 hours. line-1's m1/power is 100 + i (a straight line), its m1/current 2·(100 + i); line-2's
/// power is 50 and line-3's 10. Labels: line-1 and line-2 are at site north, line-3 at south.
/// </summary>
public sealed class RollupApiFixture : IAsyncLifetime, IDisposable
{
    public const string Start = "2023-11-14T22:00:00Z";
    public const long StartNanos = 1_699_999_200_000_000_000;
    public const int Count = 360;

    private readonly TempDirectory _data = new();

    internal TestHub Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = await TestHub.StartAsync(
            _data.Path, null, "--AgentLabels:line-1:site=north", "--AgentLabels:line-2:site=north", "--AgentLabels:line-3:site=south", "--Retention:Enabled=false");
        var received = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await Hub.Store.IngestAsync("line-1", Series(1, i => [Batches.Number("m1/power", T(i), 100 + i), Batches.Number("m1/current", T(i), 2 * (100 + i))]), received);
        await Hub.Store.IngestAsync("line-2", Series(1, i => [Batches.Number("m1/power", T(i), 50)]), received);
        await Hub.Store.IngestAsync("line-3", Series(1, i => [Batches.Number("m1/power", T(i), 10)]), received);
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();

    public void Dispose() => _data.Dispose();

    private static long T(int i) => StartNanos + (i * 30_000_000_000L);

    private static TelemetryBatch Series(ulong sequence, Func<int, Point[]> points) =>
        Batches.Create(sequence, [.. Enumerable.Range(0, Count).SelectMany(points)]);
}
