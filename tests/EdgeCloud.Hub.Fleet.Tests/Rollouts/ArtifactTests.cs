using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Server;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>Release keys and signed artifacts against a real hub: what is accepted, what is refused and why, and the agents' ranged download over mTLS.</summary>
public sealed class ArtifactTests
{
    internal static readonly string[] ChunkedHub = ["--Rollouts:ChunkSize=4096", "--Rollouts:MaxArtifactBytes=100000"];

    [Fact]
    public async Task Upload_SignedArtifact_AcceptedWithHashesAndListed()
    {
        await using var hub = await SecureHub.StartAsync(ChunkedHub);
        using var kit = new ReleaseKit();
        await kit.RegisterAsync(hub.Admin);
        var content = ReleaseKit.Content(10_000);

        var id = await kit.UploadOkAsync(hub.Admin, content);
        var artifact = await hub.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/artifacts/{id}");
        var listed = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/artifacts");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), artifact.GetProperty("sha256").GetString());
        Assert.Equal(10_000, artifact.GetProperty("size").GetInt64());
        Assert.Equal(kit.KeyId, artifact.GetProperty("keyId").GetString());
        Assert.Equal(4096, artifact.GetProperty("chunkSize").GetInt32());
        Assert.Equal([id], listed.EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(hub.DataPath, "fleet", "artifacts", id)));
    }

    [Fact]
    public async Task ReleaseKey_BadPemWrongCurveOrNotAdmin_Refused()
    {
        await using var hub = await SecureHub.StartAsync();
        using var operatorClient = hub.Client(await hub.CreateUserAsync(FleetOptions.RootTenant, "op", "operator"));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var kit = new ReleaseKit();

        using var garbage = await hub.Admin.PostAsJsonAsync("/api/v1/release-keys", new { name = "k", publicKeyPem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" });
        using var wrongCurve = await hub.Admin.PostAsJsonAsync("/api/v1/release-keys", new { name = "k", publicKeyPem = p384.ExportSubjectPublicKeyInfoPem() });
        using var byOperator = await operatorClient.PostAsJsonAsync("/api/v1/release-keys", new { name = "k", publicKeyPem = kit.PublicPem });
        using var accepted = await hub.Admin.PostAsJsonAsync("/api/v1/release-keys", new { name = "k", publicKeyPem = kit.PublicPem });

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("publicKeyPem", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurve.StatusCode);
        Assert.Contains("P-256", await wrongCurve.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
        Assert.Equal(kit.KeyId, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        var audit = await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "release-key.add" && e.GetProperty("target").GetString() == kit.KeyId);
    }

    [Fact]
    public async Task Content_AgentOfTenantWithCertificate_ServesRangesOthersRefused()
    {
        await using var hub = await SecureHub.StartAsync(ChunkedHub);
        using var kit = new ReleaseKit();
        await kit.RegisterAsync(hub.Admin);
        var content = ReleaseKit.Content(10_000);
        var id = await kit.UploadOkAsync(hub.Admin, content);
        using var agent = await hub.EnrollAsync("gw-1");
        using var otherAdmin = hub.Client(await hub.CreateUserAsync("tenant-b", "b-admin", "admin"));
        using var stranger = await hub.EnrollAsync("gw-of-b", otherAdmin);
        using var http = Download(hub, agent);
        using var strangerHttp = Download(hub, stranger);
        var path = $"/api/v1/agent/artifacts/{id}/content";

        using var whole = await http.GetAsync(path);
        using var middle = await http.SendAsync(Ranged(path, "bytes=100-4195"));
        using var tail = await http.SendAsync(Ranged(path, "bytes=-10"));
        using var beyond = await http.SendAsync(Ranged(path, "bytes=10000-"));
        using var otherTenant = await strangerHttp.GetAsync(path);
        using var noCertificate = await hub.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal(content[100..4196], await middle.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 100-4195/10000", middle.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[^10..], await tail.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noCertificate.StatusCode);
    }

    [Fact]
    public async Task ReleaseTool_KeygenAndSign_SignatureAcceptedByHub()
    {
        await using var hub = await SecureHub.StartAsync();
        using var folder = new TempDirectory();
        var keyPath = Path.Combine(folder.Path, "key.pem");
        var file = Path.Combine(folder.Path, "edge-agent-1.2.3.tar.gz");
        var content = ReleaseKit.Content(3000);
        await File.WriteAllBytesAsync(file, content);
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, ReleaseCommand.Run(["keygen", "--out", keyPath], output, error));
        Assert.Equal(0, ReleaseCommand.Run(["sign", "--key", keyPath, "--kind", "agent", "--name", "edge-agent", "--version", "1.2.3", file], output, error));
        Assert.Equal(2, ReleaseCommand.Run(["sign", "--key", keyPath, "--kind", "agent", "--name", "edge-agent", "--version", "one", file], TextWriter.Null, error));
        using var registered = await hub.Admin.PostAsJsonAsync("/api/v1/release-keys", new { name = "cli", publicKeyPem = await File.ReadAllTextAsync(keyPath + ".pub") });
        registered.EnsureSuccessStatusCode();
        var signature = output.ToString().Trim().Split('\n')[^1];
        using var kit = new ReleaseKit();
        using var uploaded = await kit.UploadAsync(hub.Admin, content, signature: signature);

        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        Assert.Contains("--version 'one'", error.ToString(), StringComparison.Ordinal);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(keyPath) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), "the private key must be owner-only");
    }

    /// <summary>The agent's download client: HTTP/2 over TLS to the sync endpoint with its certificate.</summary>
    internal static HttpClient Download(SecureHub hub, TestAgent agent) =>
        new(new SocketsHttpHandler { SslOptions = TestAgent.Ssl(agent.Ca, agent.Credential) })
        {
            BaseAddress = hub.SyncUri,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(20),
        };

    private static HttpRequestMessage Ranged(string path, string range)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Range = RangeHeaderValue.Parse(range);
        return request;
    }
}
