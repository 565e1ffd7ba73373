using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Writes;

/// <summary>How a tag write ended.</summary>
public enum TagWriteStatus
{
    /// <summary>Written, and the read-back equals the value written.</summary>
    Confirmed,

    /// <summary>Written, but the read-back differs (the device clamped or rejected it silently).</summary>
    ReadBackMismatch,

    /// <summary>The tag does not exist or is not writable.</summary>
    NotWritable,

    /// <summary>The value cannot be encoded for the tag (wrong kind, out of range).</summary>
    InvalidValue,

    /// <summary>The device answered with an exception, timed out or could not be reached.</summary>
    DeviceError,
}

/// <summary>
/// The outcome of one <see cref="ITagWriter.WriteAsync"/>: the status, the value read back (when
/// one was read) and a message an operator can act on.
/// </summary>
/// <param name="Status">How the write ended.</param>
/// <param name="ReadBack">The value read back after the write; <see cref="TagValue.None"/> when none was read.</param>
/// <param name="Message">What happened, naming the device and tag.</param>
public sealed record TagWriteResult(TagWriteStatus Status, TagValue ReadBack, string Message)
{
    /// <summary>True only for <see cref="TagWriteStatus.Confirmed"/>.</summary>
    public bool Succeeded => Status == TagWriteStatus.Confirmed;
}
