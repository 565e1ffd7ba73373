using System.Collections.Concurrent;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Writes;

namespace EdgeCloud.Edge.Rules.Tests.Actions;

/// <summary>
/// Imitates the Modbus <see cref="ITagWriter"/> (written by another engineer in parallel): it
/// serves one device, "writes" each value, and confirms it with a read-back equal to the value
/// written. Records every call, in order, so a test can see what a rule wrote.
/// </summary>
internal sealed class RecordingTagWriter(string device) : ITagWriter
{
    public ConcurrentQueue<(string Device, string Tag, TagValue Value)> Writes { get; } = new();

    public bool Serves(string device1) => device1 == device;

    public ValueTask<TagWriteResult> WriteAsync(string device1, string tag, TagValue value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Writes.Enqueue((device1, tag, value));
        return ValueTask.FromResult(new TagWriteResult(TagWriteStatus.Confirmed, value, $"{device1}/{tag} = {value}"));
    }
}
