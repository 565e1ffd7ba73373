using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Api;

/// <summary>One hub with known data for the read-only API tests: agent "agent-a" with one batch of every value kind.</summary>
public sealed class ApiFixture : IAsyncLifetime, IDisposable
{
    public const string Agent = "agent-a";
    public const string Tag = "plc1/temperature";

    /// <summary>2023-11-14T22:13:20.123456789Z.</summary>
    public const long T0 = Batches.BaseNanos + 123_456_789;

    private readonly TempDirectory _data = new();

    internal TestHub Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = await TestHub.StartAsync(_data.Path);
        var received = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await Hub.Store.TouchAgentAsync(Agent, "1.2.3", received);
        await Hub.Store.IngestAsync(
            Agent,
            Batches.Create(
                1,
                Batches.Number(Tag, T0, 21.5),
                Batches.Integer(Tag, T0 + 1, 9_007_199_254_740_993),
                Batches.Flag(Tag, T0 + 1_000, true),
                Batches.Text(Tag, T0 + 1_000_000, "open"),
                Batches.Bad(Tag, T0 + 1_000_000_000, Quality.BadTimeout, 0),
                Batches.Bad(Tag, T0 + 2_000_000_000, Quality.BadDeviceException, 2),
                Batches.Number(Tag, T0 + 3_000_000_000, double.NaN, Quality.Uncertain),
                Batches.Number("plc1/pressure", T0, 1.0)),
            received);
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();

    public void Dispose() => _data.Dispose();
}
