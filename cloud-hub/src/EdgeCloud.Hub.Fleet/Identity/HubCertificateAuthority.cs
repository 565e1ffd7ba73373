using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Hub.Fleet.Identity;

/// <summary>
/// The hub's certificate authority: an ECDSA P-256 key and a self-signed CA certificate, made on the first
/// start in the fleet data folder (<c>ca.key</c> mode 0600, <c>ca.crt</c>) and loaded afterwards. It signs
/// agent certificates (client authentication only, agent id as the subject CN and a
/// <c>urn:edgecloud:agent:</c> URI) and the sync endpoint's server certificate. Thread-safe.
/// </summary>
internal sealed partial class HubCertificateAuthority : IDisposable
{
    /// <summary>Extended key usage "TLS client authentication".</summary>
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Extended key usage "TLS server authentication".</summary>
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Prefix of the URI subject alternative name that carries the agent id.</summary>
    public const string AgentUriPrefix = "urn:edgecloud:agent:";

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    /// <summary>
    /// Certificates start up to this much before "now", so that an agent whose clock lags a little can use
    /// them at once; short-lived ones by a quarter of their lifetime at most, so the agent's renewal point
    /// (two thirds into the validity period) stays in the future.
    /// </summary>
    private static readonly TimeSpan MaxBackdate = TimeSpan.FromMinutes(5);

    private readonly ECDsa _key;

    private HubCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as PEM, what agents trust.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Loads the CA from <paramref name="folder"/>, or makes one there when none exists yet.</summary>
    public static HubCertificateAuthority LoadOrCreate(string folder, TimeProvider time, ILogger logger)
    {
        SecretFiles.EnsureFolder(folder);
        var keyPath = Path.Combine(folder, "ca.key");
        var certificatePath = Path.Combine(folder, "ca.crt");
        if (File.Exists(keyPath) && File.Exists(certificatePath))
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(keyPath));
            var loaded = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            LogLoaded(logger, loaded.Thumbprint, certificatePath);
            return new HubCertificateAuthority(loaded, key);
        }

        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=EdgeCloud hub CA, O=EdgeCloud", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        var created = request.CreateSelfSigned(now - MaxBackdate, now + CaLifetime);

        // Key first: a crash between the two writes leaves a key without a certificate, which the next
        // start overwrites; the reverse order could pair a new certificate with no key.
        SecretFiles.WriteOwnerOnly(keyPath, caKey.ExportPkcs8PrivateKeyPem());
        SecretFiles.WriteOwnerOnly(certificatePath, created.ExportCertificatePem());
        var publicOnly = X509CertificateLoader.LoadCertificate(created.RawData);
        created.Dispose();
        LogCreated(logger, publicOnly.Thumbprint, certificatePath);
        return new HubCertificateAuthority(publicOnly, caKey);
    }

    /// <summary>
    /// Issues an agent certificate for the public key of <paramref name="csr"/> (whose signature was checked
    /// when it was loaded), naming <paramref name="agentId"/>, valid from now (backdated a little) for
    /// <paramref name="lifetime"/>, never beyond the CA's own expiry.
    /// </summary>
    public X509Certificate2 IssueAgentCertificate(CertificateRequest csr, string agentId, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(csr);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={agentId}, O=EdgeCloud agent"), csr.PublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthOid)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(AgentUriPrefix + agentId));
        request.CertificateExtensions.Add(names.Build());
        return Sign(request, now - Backdate(lifetime), now + lifetime);
    }

    /// <summary>Issues a server certificate (with its new private key) for the sync endpoint, naming <paramref name="hostNames"/>.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> hostNames, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=EdgeCloud hub, O=EdgeCloud", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in hostNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (System.Net.IPAddress.TryParse(name, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        using var issued = Sign(request, now - Backdate(lifetime), now + lifetime);
        using var withKey = issued.CopyWithPrivateKey(key);

        // Round-trip through PKCS#12 so that the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static TimeSpan Backdate(TimeSpan lifetime) => lifetime / 4 < MaxBackdate ? lifetime / 4 : MaxBackdate;

    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number, as RFC 5280 requires
        var generator = X509SignatureGenerator.CreateForECDsa(_key);
        return request.Create(Certificate.SubjectName, generator, notBefore, notAfter, serial);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    [LoggerMessage(EventId = 7500, Level = LogLevel.Warning, Message = "Created the hub's certificate authority {Thumbprint} at {Path}; keep its key (ca.key) secret and backed up")]
    private static partial void LogCreated(ILogger logger, string thumbprint, string path);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Information, Message = "Loaded the hub's certificate authority {Thumbprint} from {Path}")]
    private static partial void LogLoaded(ILogger logger, string thumbprint, string path);
}
