using EdgeCloud.Edge.OpcUa.Subscriptions;
using EdgeCloud.Edge.OpcUa.Transport;

namespace EdgeCloud.Edge.OpcUa.Hosting;

/// <summary>Settings shared by every OPC UA device of the agent; tests shorten the timings.</summary>
internal sealed record OpcUaSourceOptions
{
    /// <summary>Where the application certificate and the trust lists live (<c>{data}/pki/opcua</c>).</summary>
    public required string PkiFolder { get; init; }

    public string ApplicationUri { get; init; } = "urn:edgecloud:edge-agent";

    public TimeSpan ReconnectBase { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Keep-alive count of each subscription: with the publishing interval, how soon a silent server is noticed.</summary>
    public uint MaxKeepAliveCount { get; init; } = 10;

    public UaChannelOptions Channel { get; init; } = new();

    public SubscriptionOptions Subscription { get; init; } = new();
}
