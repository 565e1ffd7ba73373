using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Transport;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>
/// Builds the channel security of one configured endpoint for each new connection: None as it
/// is; otherwise it fetches the endpoint list over None, picks the endpoint with the configured
/// policy and mode, and checks its certificate (<see cref="UaCertificateValidator"/>) before a
/// single secured byte is sent. Deprecated policies are refused unless the endpoint allows them.
/// </summary>
internal sealed class UaSecurityFactory(OpcUaDeviceConfig device, UaCertificateStore store, UaChannelOptions channel, TimeProvider time, ILogger logger)
{
    public const string PolicyPrefix = "http://opcfoundation.org/UA/SecurityPolicy#";

    private static readonly string[] Deprecated = ["Basic128Rsa15", "Basic256"];

    public async ValueTask<ChannelSecurity> CreateAsync(CancellationToken cancellationToken)
    {
        var policy = device.SecurityPolicy;
        if (Deprecated.Contains(policy, StringComparer.Ordinal))
        {
            if (!device.AllowDeprecatedPolicy)
            {
                throw new UaStatusException(StatusCodes.BadSecurityPolicyRejected, $"security policy {policy} is deprecated (OPC UA 1.04); set allowDeprecatedPolicy on device '{device.Name}' to use it anyway");
            }

            throw new UaStatusException(StatusCodes.BadSecurityPolicyRejected, $"security policy {policy} is not implemented by this client; use Basic256Sha256");
        }

        if (policy == "None")
        {
            return new NoneSecurity();
        }

        var rsaAes = RsaAesPolicy.Find(policy)
            ?? throw new UaStatusException(StatusCodes.BadSecurityPolicyRejected, $"security policy '{policy}' is not supported (None, Basic256Sha256 or Aes128_Sha256_RsaOaep)");
        var mode = (MessageSecurityMode)device.SecurityMode;
        var endpoints = await UaSession.GetEndpointsAsync(device.EndpointUrl, channel, time, logger, cancellationToken).ConfigureAwait(false);
        var endpoint = endpoints.FirstOrDefault(e => e.SecurityPolicyUri == rsaAes.Uri && e.SecurityMode == mode)
            ?? throw new UaStatusException(StatusCodes.BadSecurityPolicyRejected, $"{device.EndpointUrl} offers no {rsaAes.Name} / {mode} endpoint");
        var host = UaEndpointUrl.Parse(device.EndpointUrl).Host;
        UaCertificateValidator.Validate(endpoint.ServerCertificate, host, store, device.AllowUnknownServerCertificate, time.GetUtcNow());
        return new RsaAesSecurity(rsaAes, store.GetApplicationCertificate(), endpoint.ServerCertificate!, mode);
    }
}
