using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>
/// Decides whether a server certificate may be used (OPC 10000-4 §6.1.3): it must parse, be
/// inside its validity period, name the endpoint's host, and be trusted. An untrusted certificate
/// is written to rejected-pending (unless the endpoint allows unknown certificates) and refused.
/// Every refusal is a <see cref="UaStatusException"/> naming the reason.
/// </summary>
internal static class UaCertificateValidator
{
    public static void Validate(byte[]? der, string host, UaCertificateStore store, bool allowUnknown, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (der is null || der.Length == 0)
        {
            throw new UaStatusException(StatusCodes.BadCertificateInvalid, "the server sent no certificate");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException ex)
        {
            throw new UaStatusException(StatusCodes.BadCertificateInvalid, $"the server certificate does not parse: {ex.Message}", ex);
        }

        using (certificate)
        {
            var thumbprint = UaCertificateStore.Thumbprint(der);
            if (!store.IsTrusted(der))
            {
                if (!allowUnknown)
                {
                    store.AddPending(der);
                    throw new UaStatusException(StatusCodes.BadCertificateUntrusted,
                        $"the server certificate '{certificate.Subject}' ({thumbprint}) is not trusted; it was put in {store.PendingFolder}: approve it with 'edge-agent opcua trust {thumbprint}'");
                }
            }

            if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
            {
                throw new UaStatusException(StatusCodes.BadCertificateTimeInvalid,
                    $"the server certificate ({thumbprint}) is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}, not at {now:u}");
            }

            if (!NamesHost(certificate, host))
            {
                throw new UaStatusException(StatusCodes.BadCertificateHostNameInvalid,
                    $"the server certificate ({thumbprint}) does not name the host '{host}' the endpoint URL uses");
            }
        }
    }

    private static bool NamesHost(X509Certificate2 certificate, string host)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
        {
            return false;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return san.EnumerateIPAddresses().Any(a => a.Equals(address));
        }

        return san.EnumerateDnsNames().Any(d => string.Equals(d, host, StringComparison.OrdinalIgnoreCase));
    }
}
