namespace EdgeCloud.Hub.Ingest.Security;

/// <summary>The answer of an <see cref="IAgentAuthenticator"/>: accepted, or refused with a reason the agent is told.</summary>
/// <param name="Accepted">True when the stream may continue.</param>
/// <param name="Reason">Why it was refused (null when accepted); names the certificate fact that failed.</param>
public sealed record AgentAuthentication(bool Accepted, string? Reason)
{
    /// <summary>The stream may continue.</summary>
    public static AgentAuthentication Accept { get; } = new(true, null);

    /// <summary>The stream is refused for <paramref name="reason"/>.</summary>
    public static AgentAuthentication Refuse(string reason) => new(false, reason);
}
