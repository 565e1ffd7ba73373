using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Hub.Fleet.Identity;

/// <summary>
/// Checks an agent's certificate against the hub's CA at a given time: issued by this CA, for TLS client
/// authentication, within its validity period. Revocation is the caller's part (it needs the registry).
/// </summary>
internal static class AgentCertificateCheck
{
    /// <summary>Returns the agent id the certificate names, or sets <paramref name="reason"/> and returns null.</summary>
    public static string? Verify(HubCertificateAuthority ca, X509Certificate2 certificate, DateTimeOffset now, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(certificate);
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            reason = $"the client certificate is not valid before {Format(certificate.NotBefore)}";
            return null;
        }

        if (now > certificate.NotAfter.ToUniversalTime())
        {
            reason = $"the client certificate expired at {Format(certificate.NotAfter)}";
            return null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(HubCertificateAuthority.ClientAuthOid));
        var built = chain.Build(certificate);
        var root = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate : null;
        if (!built || root is null || !root.RawDataMemory.Span.SequenceEqual(ca.Certificate.RawDataMemory.Span))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            reason = $"the client certificate (issuer '{certificate.Issuer}') is not issued by this hub's CA for client authentication ({(status.Length > 0 ? status : "untrusted")})";
            return null;
        }

        var agentId = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (string.IsNullOrEmpty(agentId))
        {
            reason = "the client certificate names no agent";
            return null;
        }

        reason = null;
        return agentId;
    }

    /// <summary>The certificate's serial number as upper-case hex, the registry's key.</summary>
    public static string Serial(X509Certificate2 certificate) => certificate.SerialNumber.ToUpperInvariant();

    private static string Format(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
