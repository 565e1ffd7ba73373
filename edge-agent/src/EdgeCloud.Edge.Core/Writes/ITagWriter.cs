using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Writes;

/// <summary>
/// Writes a value to a device tag through that device's own scheduler (one master per bus, the
/// same timeouts and back-off as polling), then reads it back. Used by rule actions and by hub
/// commands; implemented once per protocol and combined by the agent host.
/// </summary>
public interface ITagWriter
{
    /// <summary>True when this writer serves <paramref name="device"/>.</summary>
    bool Serves(string device);

    /// <summary>
    /// Writes <paramref name="value"/> to <c>device/tag</c>. Never throws for device-side failures:
    /// they come back as a result with a reason. Throws <see cref="OperationCanceledException"/>
    /// only when <paramref name="cancellationToken"/> fires.
    /// </summary>
    ValueTask<TagWriteResult> WriteAsync(string device, string tag, TagValue value, CancellationToken cancellationToken);
}
