using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Edge.Sync.Identity;
using EdgeCloud.Hub.Fleet.Access;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Fleet.Tests.Identity;

/// <summary>Enrollment through the real API, then streams over mTLS; every token refusal the issue lists.</summary>
public abstract class EnrollmentTests
{
    /// <summary>Starts the hub on this class's fleet store backend.</summary>
    private protected abstract Task<SecureHub> StartHubAsync();

    [Fact]
    public async Task Enroll_ValidToken_StreamsOverMtlsWithKeyFilesOwnerOnly()
    {
        await using var hub = await StartHubAsync();
        using var agent = await hub.EnrollAsync("gw-1", null, "site=berlin");

        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = TestAgent.Batch(1) });
            var ack = await TestAgent.ReadAsync(call);
            Assert.Equal(1UL, ack.Ack.Sequence);
        }

        Assert.Equal("default", agent.Tenant);
        Assert.Equal("CN=gw-1, O=EdgeCloud agent", agent.Credential.Subject);
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(agent.Files.CredentialPath) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(Path.Combine(hub.DataPath, "fleet", "ca.key")) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var registered = await hub.Store.GetAgentAsync("gw-1", CancellationToken.None);
        Assert.Equal(["site=berlin"], registered!.Labels);
    }

    [Fact]
    public async Task Enroll_ReusedToken_RefusedAndAudited()
    {
        await using var hub = await StartHubAsync();
        var token = await SecureHub.CreateTokenAsync(hub.Admin);
        using var first = await TestAgent.EnrollAsync(hub, "gw-1", token);

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => TestAgent.EnrollAsync(hub, "gw-2", token));

        Assert.Contains("already used", error.Message, StringComparison.Ordinal);
        Assert.Null(await hub.Store.GetAgentAsync("gw-2", CancellationToken.None));
        var audit = await hub.Store.ListAuditAsync("default", 0, 100, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "agent.enroll" && e.Target == "gw-2" && e.Result == "refused");
    }

    [Fact]
    public async Task Enroll_ExpiredToken_Refused()
    {
        await using var hub = await StartHubAsync();
        const string token = "ecet_expired-for-test";
        var hash = Secrets.Hash(token);
        await hub.Store.AddEnrollmentTokenAsync(
            new EnrollmentTokenRecord(hash, Secrets.PublicId(hash), "default", [], DateTimeOffset.UtcNow.AddSeconds(-1), null, "admin"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => TestAgent.EnrollAsync(hub, "gw-1", token));

        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_UnknownToken_Refused()
    {
        await using var hub = await StartHubAsync();

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => TestAgent.EnrollAsync(hub, "gw-1", "ecet_never-issued"));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_RsaKeyInCsr_RefusedNamingTheCsrAndTokenStaysUnused()
    {
        await using var hub = await StartHubAsync();
        var token = await SecureHub.CreateTokenAsync(hub.Admin);
        using var rsa = RSA.Create(2048);
        var csr = new CertificateRequest("CN=gw-1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        using var anonymous = hub.Client(null);

        using var response = await anonymous.PostAsJsonAsync("/api/v1/enroll", new { token, agentId = "gw-1", csr });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'csr' must carry an ECDSA P-256", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var retry = await TestAgent.EnrollAsync(hub, "gw-1", token);
        Assert.Equal("gw-1", retry.AgentId);
    }

    [Fact]
    public async Task Enroll_EnrolledIdAgain_RefusedUntilRevoked()
    {
        await using var hub = await StartHubAsync();
        using var first = await hub.EnrollAsync("gw-1");

        await Assert.ThrowsAsync<EnrollmentException>(() => hub.EnrollAsync("gw-1"));
        using var revoke = await hub.Admin.PostAsync("/api/v1/fleet/agents/gw-1/revoke", null);
        revoke.EnsureSuccessStatusCode();
        using var again = await hub.EnrollAsync("gw-1");

        Assert.NotEqual(first.Credential.SerialNumber, again.Credential.SerialNumber);
    }
}

/// <summary>EnrollmentTests on SQLite (<c>fleet.db</c>).</summary>
public sealed class SqliteEnrollmentTests : EnrollmentTests
{
    private protected override Task<SecureHub> StartHubAsync() => SecureHub.StartAsync();
}

/// <summary>EnrollmentTests on PostgreSQL (schema <c>fleet</c>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEnrollmentTests(PostgresServer server) : EnrollmentTests
{
    private protected override Task<SecureHub> StartHubAsync() => SecureHub.StartOnPostgresAsync(server);
}
