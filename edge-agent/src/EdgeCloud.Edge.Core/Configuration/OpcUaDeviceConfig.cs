namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// An OPC UA server the agent subscribes to. Invariants (checked by the loader): the endpoint is
/// an <c>opc.tcp://</c> URL; the policy is None only with mode None and the reverse; a deprecated
/// policy (Basic128Rsa15, Basic256) only with <see cref="AllowDeprecatedPolicy"/>; a password
/// only with a user name; tag names are unique and each tag has a node id or a browse path.
/// </summary>
/// <param name="Name">Unique device name.</param>
/// <param name="EndpointUrl">The server's endpoint, for example <c>opc.tcp://plc1:4840</c>.</param>
/// <param name="SecurityPolicy">None, Basic256Sha256, Aes128_Sha256_RsaOaep (or, when allowed, Basic128Rsa15 / Basic256).</param>
/// <param name="SecurityMode">None, Sign or SignAndEncrypt.</param>
/// <param name="UserName">User name, or null for the anonymous identity.</param>
/// <param name="Password">Password of <paramref name="UserName"/>.</param>
/// <param name="AllowUnknownServerCertificate">Trust a server certificate that is not in the trust list (false by default: it is put in rejected-pending instead).</param>
/// <param name="AllowDeprecatedPolicy">Accept Basic128Rsa15 or Basic256 for this endpoint.</param>
/// <param name="PublishingInterval">How often the server sends changes.</param>
/// <param name="SessionTimeout">How long the server keeps the session across an outage.</param>
/// <param name="Tags">The monitored nodes.</param>
public sealed record OpcUaDeviceConfig(
    string Name,
    string EndpointUrl,
    string SecurityPolicy,
    OpcUaSecurityMode SecurityMode,
    string? UserName,
    string? Password,
    bool AllowUnknownServerCertificate,
    bool AllowDeprecatedPolicy,
    TimeSpan PublishingInterval,
    TimeSpan SessionTimeout,
    IReadOnlyList<OpcUaTagConfig> Tags) : DeviceConfig(Name, ProtocolName)
{
    /// <summary>The <c>protocol</c> value that selects this device type.</summary>
    public const string ProtocolName = "opcua";
}
