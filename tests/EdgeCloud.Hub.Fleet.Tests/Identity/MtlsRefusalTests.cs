using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Hub.Fleet.Identity;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Hub.Fleet.Tests.Identity;

/// <summary>Every certificate the sync endpoint must refuse, and the reason the agent is told.</summary>
public sealed class MtlsRefusalTests
{
    [Fact]
    public async Task Connect_NoClientCertificate_Refused()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var channel = agent.Channel(null);

        // Refused in the TLS handshake: depending on timing the client sees an RpcException or the HTTP/2
        // connection failing underneath it; either way no Welcome arrives.
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var call = await TestAgent.HelloAsync(channel, "gw-1");
            await TestAgent.ReadAsync(call);
        });

        Assert.True(error is RpcException { StatusCode: not StatusCode.OK } or HttpRequestException or IOException, error.ToString());
    }

    [Fact]
    public async Task Connect_CertificateOfAHelloClaimsB_RefusedNamingBoth()
    {
        await using var hub = await SecureHub.StartAsync();
        using var a = await hub.EnrollAsync("gw-a");
        using var b = await hub.EnrollAsync("gw-b");
        using var channel = a.Channel(a.Credential);
        using var call = await TestAgent.HelloAsync(channel, "gw-b");

        var (refusal, status) = await TestAgent.ReadToEndAsync(call);

        Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);
        Assert.Contains("belongs to agent 'gw-a', but the Hello claims agent 'gw-b'", refusal?.Reason, StringComparison.Ordinal);
        Assert.False(refusal!.Retryable);
    }

    [Fact]
    public async Task Connect_ExpiredCertificate_Refused()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var expired = Issue(hub.Ca, "gw-1", DateTimeOffset.UtcNow.AddDays(-3), TimeSpan.FromDays(1));

        var (refusal, status) = await RefusedAsync(agent, expired, "gw-1");

        Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);
        Assert.Contains("expired at", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NotYetValidCertificate_Refused()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var future = Issue(hub.Ca, "gw-1", DateTimeOffset.UtcNow.AddDays(2), TimeSpan.FromDays(1));

        var (refusal, _) = await RefusedAsync(agent, future, "gw-1");

        Assert.Contains("not valid before", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_CertificateOfAnotherCa_Refused()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var otherFolder = new TempDirectory();
        using var otherCa = HubCertificateAuthority.LoadOrCreate(otherFolder.Path, TimeProvider.System, NullLogger.Instance);
        using var foreign = Issue(otherCa, "gw-1", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));

        var (refusal, _) = await RefusedAsync(agent, foreign, "gw-1");

        Assert.Contains("not issued by this hub's CA", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_RevokedAgent_RefusedAndLiveStreamClosedAtOnce()
    {
        await using var hub = await SecureHub.StartAsync();
        using var agent = await hub.EnrollAsync("gw-1");
        using var other = await hub.EnrollAsync("gw-2");
        var (channel, live) = await agent.ConnectAsync();
        var (otherChannel, otherLive) = await other.ConnectAsync();
        using (channel)
        using (live)
        using (otherChannel)
        using (otherLive)
        {
            using var revoke = await hub.Admin.PostAsync("/api/v1/fleet/agents/gw-1/revoke", null);
            revoke.EnsureSuccessStatusCode();

            var (closedBy, status) = await TestAgent.ReadToEndAsync(live);
            Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);
            Assert.Contains("revoked", closedBy?.Reason, StringComparison.Ordinal);

            var (refusal, _) = await RefusedAsync(agent, agent.Credential, "gw-1");
            Assert.Contains("was revoked at", refusal, StringComparison.Ordinal);

            // The other agent's stream is untouched.
            await otherLive.RequestStream.WriteAsync(new Proto.Sync.V1.AgentMessage { Telemetry = TestAgent.Batch(1) });
            Assert.Equal(1UL, (await TestAgent.ReadAsync(otherLive)).Ack.Sequence);
        }
    }

    private static async Task<(string? Refusal, Status Status)> RefusedAsync(TestAgent agent, X509Certificate2 certificate, string claimedId)
    {
        using var channel = agent.Channel(certificate);
        using var call = await TestAgent.HelloAsync(channel, claimedId);
        var (refusal, status) = await TestAgent.ReadToEndAsync(call);
        Assert.NotEqual(StatusCode.OK, status.StatusCode);
        return (refusal?.Reason ?? status.Detail, status);
    }

    /// <summary>A certificate for <paramref name="agentId"/> from <paramref name="ca"/> with a chosen validity, joined with its new key.</summary>
    private static X509Certificate2 Issue(HubCertificateAuthority ca, string agentId, DateTimeOffset from, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={agentId}", key, HashAlgorithmName.SHA256);
        using var issued = ca.IssueAgentCertificate(csr, agentId, from, lifetime);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
