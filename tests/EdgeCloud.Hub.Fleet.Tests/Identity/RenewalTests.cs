using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeCloud.Edge.Sync.Identity;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Tests.Identity;

/// <summary>Renewal over the existing identity: the open stream keeps going, the new certificate connects, a forged proof is refused.</summary>
public sealed class RenewalTests
{
    [Fact]
    public async Task Renew_WithCurrentCertificate_OpenStreamContinuesAndNewCertificateConnects()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(1) });
            Assert.Equal(1UL, (await TestAgent.ReadAsync(call)).Ack.Sequence);

            using var http = hub.Client(null);
            var renewed = await EnrollmentClient.RenewAsync(http, hub.ApiUri, agent.Credential, agent.Files, CancellationToken.None);

            // No gap: the stream opened with the old certificate keeps carrying data.
            await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(2) });
            Assert.Equal(2UL, (await TestAgent.ReadAsync(call)).Ack.Sequence);
            Assert.NotEqual(agent.Credential.SerialNumber, renewed.Credential.SerialNumber);
            Assert.Equal(agent.Credential.Subject, renewed.Credential.Subject);
            var registered = await hub.Store.GetAgentAsync("gw-1", CancellationToken.None);
            Assert.Equal(renewed.Credential.SerialNumber, registered!.CertificateSerial);
            Assert.Equal(renewed.Credential.SerialNumber, new AgentIdentityFiles(agent.Files.Folder[..^"/identity".Length]).Load().Credential.SerialNumber);
            agent.Credential = renewed.Credential;
        }

        var (next, nextCall) = await agent.ConnectAsync();
        using (next)
        using (nextCall)
        {
            await nextCall.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(3) });
            Assert.Equal(3UL, (await TestAgent.ReadAsync(nextCall)).Ack.Sequence);
        }
    }

    [Fact]
    public async Task Renew_SignatureByAnotherKey_Refused()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var thief = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=gw-1", thief, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var signature = Convert.ToBase64String(thief.SignData(Encoding.UTF8.GetBytes(csr), HashAlgorithmName.SHA256));
        using var http = hub.Client(null);

        using var response = await http.PostAsJsonAsync("/api/v1/enroll/renew", new { certificate = agent.Credential.ExportCertificatePem(), csr, signature });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("'signature'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_RevokedAgent_Refused()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        (await hub.Admin.PostAsync("/api/v1/fleet/agents/gw-1/revoke", null)).EnsureSuccessStatusCode();
        using var http = hub.Client(null);

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => EnrollmentClient.RenewAsync(http, hub.ApiUri, agent.Credential, agent.Files, CancellationToken.None));

        Assert.Contains("revoked", error.Message, StringComparison.Ordinal);
    }
}
