namespace EdgeCloud.Edge.OpcUa.Transport;

/// <summary>Settings of one secure channel; the defaults suit a gateway talking to a plant server.</summary>
internal sealed record UaChannelOptions
{
    public TransportLimits Transport { get; init; } = TransportLimits.Default;

    public UaEncodingLimits Encoding { get; init; } = UaEncodingLimits.Default;

    /// <summary>Requested token lifetime; the token is renewed at 75% of the revised one.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a service call may take unless the caller says otherwise.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
