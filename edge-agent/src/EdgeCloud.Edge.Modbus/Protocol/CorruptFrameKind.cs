namespace EdgeCloud.Edge.Modbus.Protocol;

/// <summary>Why an RTU reply was rejected; each kind is counted separately.</summary>
public enum CorruptFrameKind
{
    /// <summary>The frame's CRC-16 did not match its bytes.</summary>
    Crc,

    /// <summary>The line fell silent before the frame was complete.</summary>
    Truncated,

    /// <summary>Bytes that cannot be a reply to the request: another unit id, another function, a wrong byte count or echo.</summary>
    Unexpected,
}
