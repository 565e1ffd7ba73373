namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>Result of <see cref="RtuFrame.TryReadReply"/>.</summary>
internal enum RtuFrameStatus
{
    /// <summary>Not enough bytes yet to tell; read more.</summary>
    Incomplete,

    /// <summary>A whole reply with a good CRC starts the buffer.</summary>
    Complete,

    /// <summary>The frame is complete but its CRC is wrong.</summary>
    CrcError,

    /// <summary>The bytes cannot be a reply to the request.</summary>
    Unexpected,
}
