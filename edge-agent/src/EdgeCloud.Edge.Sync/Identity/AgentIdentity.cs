using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Sync.Identity;

/// <summary>
/// The agent's current certificate and the hub CA it trusts, as the sync link's TLS uses them: every new
/// connection presents <see cref="Current"/>, so a renewed certificate takes effect at the next connect while
/// the open stream continues on the old one (no gap). Loaded lazily from <see cref="AgentIdentityFiles"/>, so
/// an agent enrolled while running picks its identity up. Thread-safe.
/// </summary>
public sealed class AgentIdentity
{
    private readonly Lock _lock = new();
    private (X509Certificate2 Credential, X509Certificate2 Ca)? _loaded;

    /// <summary>Creates the identity of the agent configured by <paramref name="config"/>.</summary>
    public AgentIdentity(AgentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Files = new AgentIdentityFiles(config.DataDirectory);
    }

    /// <summary>Where the identity lives on disk.</summary>
    public AgentIdentityFiles Files { get; }

    /// <summary>The current certificate with its key, or null when the agent is not enrolled.</summary>
    public X509Certificate2? Current => Load()?.Credential;

    /// <summary>Makes <paramref name="credential"/> the certificate of the next connections (after it was saved).</summary>
    public void Replace(X509Certificate2 credential, X509Certificate2 ca)
    {
        lock (_lock)
        {
            // The old one is not disposed: a handshake in flight may still be using it.
            _loaded = (credential, ca);
        }
    }

    /// <summary>TLS options of the sync link: present the current certificate, trust only the hub CA (and the host name it names).</summary>
    public SslClientAuthenticationOptions ClientOptions() => new()
    {
        LocalCertificateSelectionCallback = (_, _, _, _, _) => Current!,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustsHub(certificate, errors),
    };

    private bool TrustsHub(X509Certificate? presented, SslPolicyErrors errors)
    {
        var ca = Load()?.Ca;
        if (presented is null || ca is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var server = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(server) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
    }

    private (X509Certificate2 Credential, X509Certificate2 Ca)? Load()
    {
        lock (_lock)
        {
            if (_loaded is null && Files.Exists)
            {
                _loaded = Files.Load();
            }

            return _loaded;
        }
    }
}
