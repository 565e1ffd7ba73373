using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EdgeCloud.Edge.Files;

namespace EdgeCloud.Edge.Sync.Identity;

/// <summary>
/// The agent's identity on disk, in <c>&lt;dataDirectory&gt;/identity/</c> (mode 0700): <c>agent.pem</c> (its
/// certificate and private key together, mode 0600, replaced by one atomic rename so a crash never pairs a
/// certificate with the wrong key), <c>ca.crt</c> (the hub CA it trusts) and <c>enrollment.json</c> (the
/// hub API address used for renewal, and the tenant).
/// </summary>
public sealed class AgentIdentityFiles(string dataDirectory)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The identity folder.</summary>
    public string Folder { get; } = Path.Combine(dataDirectory, "identity");

    /// <summary>Certificate and key, PEM.</summary>
    public string CredentialPath => Path.Combine(Folder, "agent.pem");

    /// <summary>The hub CA, PEM.</summary>
    public string CaPath => Path.Combine(Folder, "ca.crt");

    /// <summary>Enrollment facts (hub API address, tenant), JSON.</summary>
    public string EnrollmentPath => Path.Combine(Folder, "enrollment.json");

    /// <summary>True when a credential is on disk.</summary>
    public bool Exists => File.Exists(CredentialPath) && File.Exists(CaPath);

    /// <summary>Stores a new credential (and CA, and enrollment facts when given), each atomically.</summary>
    public void Save(X509Certificate2 certificate, ECDsa key, string caPem, Uri? hubApi, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
        }
        else if (!Directory.Exists(Folder))
        {
            Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        WriteAtomically(CaPath, caPem);
        if (hubApi is not null)
        {
            WriteAtomically(EnrollmentPath, JsonSerializer.Serialize(new Dictionary<string, string?> { ["hubApi"] = hubApi.ToString(), ["tenant"] = tenant }));
        }

        WriteAtomically(CredentialPath, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Loads the credential (certificate with its private key) and the CA; throws when they are missing or unreadable.</summary>
    public (X509Certificate2 Credential, X509Certificate2 Ca) Load()
    {
        var pem = File.ReadAllText(CredentialPath);
        var credential = X509Certificate2.CreateFromPem(pem, pem);
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaPath));
        return (credential, ca);
    }

    /// <summary>The hub API address saved at enrollment, or null.</summary>
    public Uri? HubApi()
    {
        if (!File.Exists(EnrollmentPath))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(EnrollmentPath));
        return document.RootElement.TryGetProperty("hubApi", out var api) && Uri.TryCreate(api.GetString(), UriKind.Absolute, out var uri) ? uri : null;
    }

    private static void WriteAtomically(string path, string text)
    {
        // Temp file, fsync, rename, directory fsync: the old or the new file after a power loss.
        DurableFile.WriteText(path, text, ownerOnly: true);
    }
}
