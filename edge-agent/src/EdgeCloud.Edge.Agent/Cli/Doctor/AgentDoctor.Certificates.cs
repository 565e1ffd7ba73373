using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Sync.Identity;

namespace EdgeCloud.Edge.Agent.Cli.Doctor;

/// <summary>
/// Certificate expiry: the agent's identity certificate and the hub CA it trusts (<c>identity/</c>, after
/// <c>edge-agent enroll</c>), and the OPC UA application instance certificate (<c>pki/opcua/own/</c>, made on
/// first use). Only certificates on disk are checked. Fail when expired or not yet valid (the clock or the
/// certificate is wrong: either way TLS refuses it); warn under <see cref="ExpiryWarning"/> left.
/// </summary>
internal sealed partial class AgentDoctor
{
    /// <summary>Time left under which a certificate's expiry is a warning.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    /// <summary>Where "now" comes from for the expiry checks.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    private IEnumerable<CheckResult> CheckCertificates(AgentConfig config)
    {
        var identity = new AgentIdentityFiles(config.DataDirectory);
        var opcUa = Path.Combine(config.DataDirectory, "pki", "opcua", "own", "certs", "edge-agent.der");
        var files = new (string Check, string Path, string Renew)[]
        {
            ("agent certificate", identity.CredentialPath, "the agent renews it before expiry while it reaches the hub; else enroll again (edge-agent enroll)"),
            ("hub CA", identity.CaPath, "the hub's CA must be renewed at the hub, then the agent enrolled again"),
            ("OPC UA certificate", opcUa, $"delete {Path.GetDirectoryName(Path.GetDirectoryName(opcUa))} and restart the agent to make a new one, then trust it on the servers again"),
        };
        foreach (var (check, path, renew) in files.Where(f => File.Exists(f.Path)))
        {
            yield return CheckCertificate(check, path, renew);
        }
    }

    private CheckResult CheckCertificate(string check, string path, string renew)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = path.EndsWith(".der", StringComparison.Ordinal)
                ? X509CertificateLoader.LoadCertificateFromFile(path)
                : X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new CheckResult(CheckOutcome.Fail, check, $"{path} cannot be read as a certificate: {ex.Message}");
        }

        using (certificate)
        {
            var now = Time.GetUtcNow();
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            var subject = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (now < notBefore)
            {
                return new CheckResult(CheckOutcome.Fail, check, $"{subject} ({path}) is not valid before {notBefore:u}: check the clock (timedatectl)");
            }

            if (now >= notAfter)
            {
                return new CheckResult(CheckOutcome.Fail, check, $"{subject} ({path}) expired {notAfter:u}: {renew}");
            }

            var left = notAfter - now;
            return left < ExpiryWarning
                ? new CheckResult(CheckOutcome.Warn, check, $"{subject} ({path}) expires {notAfter:u}, in {left.TotalDays:F0} days: {renew}")
                : new CheckResult(CheckOutcome.Ok, check, $"{subject} valid until {notAfter:u} ({left.TotalDays:F0} days)");
        }
    }
}
