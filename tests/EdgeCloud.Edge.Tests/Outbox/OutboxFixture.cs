using System.Text;
using EdgeCloud.Edge.Outbox;
using EdgeCloud.Edge.Outbox.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>A real outbox on real files in a temp folder, reopened as often as a test needs.</summary>
internal sealed class OutboxFolder : IDisposable
{
    public OutboxFolder(long segmentBytes = 4 * 1024 * 1024)
    {
        Options = new OutboxOptions { Directory = Directory.CreateTempSubdirectory("edge-outbox-").FullName, JournalSegmentBytes = segmentBytes };
    }

    public OutboxOptions Options { get; }

    public string JournalDirectory => Path.Combine(Options.Directory, "journal");

    public string DatabasePath => Path.Combine(Options.Directory, "outbox.db");

    public LiteDbOutbox Open() => new(Options, TimeProvider.System, NullLogger<LiteDbOutbox>.Instance);

    public static OutboxBatch Batch(string text, int points = 1) =>
        new(OutboxBatchKind.Telemetry, points, 42, Encoding.UTF8.GetBytes(text));

    public static string Text(StoredBatch batch) => Encoding.UTF8.GetString(batch.Payload);

    public void Dispose() => Directory.Delete(Options.Directory, recursive: true);
}
