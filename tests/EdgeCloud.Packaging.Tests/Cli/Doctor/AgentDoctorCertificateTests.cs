using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Edge.Agent.Cli.Doctor;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Time;

namespace EdgeCloud.Packaging.Tests.Cli.Doctor;

/// <summary>The doctor's certificate expiry checks on real certificates written where the agent keeps them.</summary>
public sealed class AgentDoctorCertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecloud-doctor-certs-").FullName;

    [Fact]
    public async Task Run_CertificatesValidLongExpiringSoonAndExpired_OkWarnFail()
    {
        var now = DateTimeOffset.UtcNow;
        WritePem(Path.Combine(_dir, "identity", "agent.pem"), "agent-1", now.AddDays(-1), now.AddDays(365));
        WritePem(Path.Combine(_dir, "identity", "ca.crt"), "hub-ca", now.AddDays(-400), now.AddDays(10));
        WriteDer(Path.Combine(_dir, "pki", "opcua", "own", "certs", "edge-agent.der"), "edge-agent-ua", now.AddDays(-30), now.AddDays(-1));

        var results = await RunAsync();

        Assert.Equal(CheckOutcome.Ok, results["agent certificate"].Outcome);
        Assert.Contains("agent-1 valid until", results["agent certificate"].Detail, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Warn, results["hub CA"].Outcome);
        Assert.Contains("in 10 days", results["hub CA"].Detail, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Fail, results["OPC UA certificate"].Outcome);
        Assert.Contains("expired", results["OPC UA certificate"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CertificateNotYetValidOrUnreadable_Fails()
    {
        var now = DateTimeOffset.UtcNow;
        WritePem(Path.Combine(_dir, "identity", "agent.pem"), "agent-1", now.AddDays(2), now.AddDays(365));
        Directory.CreateDirectory(Path.Combine(_dir, "identity"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "identity", "ca.crt"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var results = await RunAsync();

        Assert.Equal(CheckOutcome.Fail, results["agent certificate"].Outcome);
        Assert.Contains("not valid before", results["agent certificate"].Detail, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Fail, results["hub CA"].Outcome);
        Assert.Contains("cannot be read as a certificate", results["hub CA"].Detail, StringComparison.Ordinal);
        Assert.False(results.ContainsKey("OPC UA certificate"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<Dictionary<string, CheckResult>> RunAsync()
    {
        var config = new AgentConfig(
            "doctor-certs", _dir, new HubLinkConfig(new Uri("http://127.0.0.1:1"), 32, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)),
            new OutboxConfig(1000, TimeSpan.FromSeconds(1), 1 << 20), new SiteConfig([]), "test");
        var results = await new AgentDoctor(new SynchronizedClock()) { HubTimeout = TimeSpan.FromMilliseconds(200) }.RunAsync(config, CancellationToken.None);
        return results.ToDictionary(r => r.Check);
    }

    private static X509Certificate2 Create(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private static void WritePem(string path, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var certificate = Create(name, notBefore, notAfter);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, certificate.ExportCertificatePem());
    }

    private static void WriteDer(string path, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var certificate = Create(name, notBefore, notAfter);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Cert));
    }

    /// <summary>Imitates a disciplined clock (the host's may not be), which only the clock check reads.</summary>
    private sealed class SynchronizedClock : IClockStatus
    {
        public bool IsSynchronized => true;
    }
}
