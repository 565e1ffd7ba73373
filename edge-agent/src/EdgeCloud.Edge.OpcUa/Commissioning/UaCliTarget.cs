using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Security;
using EdgeCloud.Edge.OpcUa.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Edge.OpcUa.Commissioning;

/// <summary>
/// The server a commissioning command talks to, with the same security rules as the agent:
/// the same PKI folder, so a certificate refused here lands in the same pending list.
/// </summary>
internal sealed record UaCliTarget(
    string EndpointUrl,
    string SecurityPolicy = "None",
    OpcUaSecurityMode SecurityMode = OpcUaSecurityMode.None,
    string? UserName = null,
    string? Password = null,
    string PkiFolder = "/var/lib/edge-agent/pki/opcua",
    bool AllowUnknownServerCertificate = false)
{
    public async Task<UaSession> ConnectAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var device = new OpcUaDeviceConfig("cli", EndpointUrl, SecurityPolicy, SecurityMode, UserName, Password, AllowUnknownServerCertificate, false,
            TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), []);
        var store = new UaCertificateStore(PkiFolder, "urn:edgecloud:edge-agent", time);
        var channel = new UaChannelOptions();
        var options = new UaSessionOptions
        {
            SessionName = "edge-agent cli",
            Identity = UserName is null ? UaIdentity.Anonymous : new UaIdentity(UserName, Password),
            Channel = channel,
            Security = new UaSecurityFactory(device, store, channel, time, NullLogger.Instance).CreateAsync,
        };
        return await UaSession.ConnectAsync(EndpointUrl, options, time, NullLogger.Instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="body"/> on a session and turns OPC UA failures into an error line and exit code 1.</summary>
    public async Task<int> RunAsync(TimeProvider time, TextWriter error, Func<UaSession, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var session = await ConnectAsync(time, cancellationToken).ConfigureAwait(false);
            try
            {
                return await body(session).ConfigureAwait(false);
            }
            finally
            {
                await session.CloseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is UaStatusException or Encoding.UaDecodeException or FormatException)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
