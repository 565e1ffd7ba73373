using EdgeCloud.Edge.OpcUa.Security;
using EdgeCloud.Edge.OpcUa.Transport;

namespace EdgeCloud.Edge.OpcUa.Client;

/// <summary>What a session needs beside its endpoint URL: who we are, how to protect the channel and how long the server keeps the session.</summary>
internal sealed record UaSessionOptions
{
    public string ApplicationName { get; init; } = "EdgeCloud edge-agent";

    public string ApplicationUri { get; init; } = "urn:edgecloud:edge-agent";

    public string SessionName { get; init; } = "edge-agent";

    /// <summary>How long the server keeps the session without a request; our keep-alive reads at a third of it.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public UaIdentity Identity { get; init; } = UaIdentity.Anonymous;

    public UaChannelOptions Channel { get; init; } = new();

    /// <summary>
    /// Builds the channel security for each new channel (it may fetch and check the server
    /// certificate first); None unless the caller sets a policy.
    /// </summary>
    public Func<CancellationToken, ValueTask<ChannelSecurity>> Security { get; init; } = _ => ValueTask.FromResult<ChannelSecurity>(new NoneSecurity());
}
