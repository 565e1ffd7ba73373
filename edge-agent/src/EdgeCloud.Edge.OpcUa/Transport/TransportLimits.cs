namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>
/// UA TCP buffer limits (OPC 10000-6 §7.1.2.3). Ours are what we accept; after Hello/Acknowledge
/// the peer's are what we may send. Zero for <see cref="MaxMessageSize"/> or
/// <see cref="MaxChunkCount"/> means "no limit" on the wire; we never offer zero ourselves.
/// </summary>
internal sealed record TransportLimits
{
    /// <summary>Largest chunk, in bytes, header included (the spec's minimum is 8192).</summary>
    public uint ReceiveBufferSize { get; init; } = 65_535;

    /// <summary>Largest chunk we send.</summary>
    public uint SendBufferSize { get; init; } = 65_535;

    /// <summary>Largest reassembled message body.</summary>
    public uint MaxMessageSize { get; init; } = 16 << 20;

    /// <summary>Most chunks in one message.</summary>
    public uint MaxChunkCount { get; init; } = 512;

    /// <summary>The defaults.</summary>
    public static TransportLimits Default { get; } = new();
}
