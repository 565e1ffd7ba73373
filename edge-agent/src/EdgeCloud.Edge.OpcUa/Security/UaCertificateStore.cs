using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>
/// The agent's OPC UA PKI folder: <c>own/</c> holds the application instance certificate and
/// its key (self-signed on first use, the ApplicationUri in the SAN, key readable by the owner
/// only), <c>trusted/</c> the server certificates an installer approved and
/// <c>rejected-pending/</c> the ones seen but not trusted, each as <c>{thumbprint}.der</c>.
/// Nothing is moved to <c>trusted/</c> except by <see cref="Trust"/>.
/// </summary>
internal sealed class UaCertificateStore
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private X509Certificate2? _own;

    public UaCertificateStore(string folder, string applicationUri, TimeProvider time)
    {
        Folder = folder;
        ApplicationUri = applicationUri;
        _time = time;
    }

    public string Folder { get; }

    public string ApplicationUri { get; }

    public string TrustedFolder => Path.Combine(Folder, "trusted");

    public string PendingFolder => Path.Combine(Folder, "rejected-pending");

    private string CertificatePath => Path.Combine(Folder, "own", "certs", "edge-agent.der");

    private string KeyPath => Path.Combine(Folder, "own", "private", "edge-agent.key.pem");

    /// <summary>The application instance certificate with its private key, created on first call.</summary>
    public X509Certificate2 GetApplicationCertificate()
    {
        lock (_gate)
        {
            if (_own is not null)
            {
                return _own;
            }

            if (File.Exists(CertificatePath) && File.Exists(KeyPath))
            {
                using var publicOnly = X509CertificateLoader.LoadCertificateFromFile(CertificatePath);
                using var key = RSA.Create();
                key.ImportFromPem(File.ReadAllText(KeyPath));
                _own = publicOnly.CopyWithPrivateKey(key);
                return _own;
            }

            _own = Create();
            return _own;
        }
    }

    private X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=EdgeCloud edge-agent, O=EdgeCloud", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(ApplicationUri));
        san.AddDnsName(Dns.GetHostName());
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = _time.GetUtcNow();
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        Directory.CreateDirectory(Path.GetDirectoryName(CertificatePath)!);
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        File.WriteAllBytes(CertificatePath, certificate.Export(X509ContentType.Cert));
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return certificate;
    }

    /// <summary>Upper-case hex SHA-1 thumbprint, the file name in the trust folders.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "OPC 10000-6 §6.7.2.3 defines certificate thumbprints as SHA-1; it identifies, it does not protect.")]
    public static string Thumbprint(byte[] der) => Convert.ToHexString(SHA1.HashData(der));

    public bool IsTrusted(byte[] der) => File.Exists(Path.Combine(TrustedFolder, Thumbprint(der) + ".der"));

    /// <summary>Records an untrusted certificate for an installer to approve; returns its thumbprint.</summary>
    public string AddPending(byte[] der)
    {
        ArgumentNullException.ThrowIfNull(der);
        Directory.CreateDirectory(PendingFolder);
        var thumbprint = Thumbprint(der);
        File.WriteAllBytes(Path.Combine(PendingFolder, thumbprint + ".der"), der);
        return thumbprint;
    }

    /// <summary>Moves a pending certificate (by thumbprint, case-insensitive) to trusted; false when no such pending file.</summary>
    public bool Trust(string thumbprint)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        var source = Path.Combine(PendingFolder, thumbprint.ToUpperInvariant() + ".der");
        if (!File.Exists(source))
        {
            return false;
        }

        Directory.CreateDirectory(TrustedFolder);
        File.Move(source, Path.Combine(TrustedFolder, thumbprint.ToUpperInvariant() + ".der"), overwrite: true);
        return true;
    }

    /// <summary>Trusts a certificate directly (tests, and an installer copying a server's certificate file).</summary>
    public void AddTrusted(byte[] der)
    {
        ArgumentNullException.ThrowIfNull(der);
        Directory.CreateDirectory(TrustedFolder);
        File.WriteAllBytes(Path.Combine(TrustedFolder, Thumbprint(der) + ".der"), der);
    }

    public IReadOnlyList<X509Certificate2> List(bool pending)
    {
        var folder = pending ? PendingFolder : TrustedFolder;
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.der").Order(StringComparer.Ordinal).Select(X509CertificateLoader.LoadCertificateFromFile).ToArray()
            : [];
    }
}
