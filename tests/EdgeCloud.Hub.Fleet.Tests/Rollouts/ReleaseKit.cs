using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Rollouts;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>A release key pair and the calls an admin makes with it: register the key, sign and upload artifacts.</summary>
internal sealed class ReleaseKit : IDisposable
{
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string KeyId => ReleaseSignature.KeyId(Key);

    public string PublicPem => ReleaseSignature.PublicPem(Key);

    public async Task RegisterAsync(HttpClient admin, string name = "release")
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/release-keys", new { name, publicKeyPem = PublicPem });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public string Sign(string kind, string name, string version, byte[] content) =>
        Convert.ToBase64String(ReleaseSignature.Sign(Key, ReleaseSignature.Statement(kind, name, version, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)))));

    /// <summary>Uploads <paramref name="content"/> as <paramref name="kind"/>/<paramref name="name"/> with <paramref name="signature"/> (this kit's signature of the content when null).</summary>
    public Task<HttpResponseMessage> UploadAsync(
        HttpClient admin, byte[] content, string kind = "agent", string name = "edge-agent", string version = "1.2.3", string? signature = null, string? keyId = null)
    {
        var query = $"kind={Uri.EscapeDataString(kind)}&name={Uri.EscapeDataString(name)}&version={Uri.EscapeDataString(version)}"
            + $"&signature={Uri.EscapeDataString(signature ?? Sign(kind, name, version, content))}" + (keyId is null ? string.Empty : $"&keyId={keyId}");
        return admin.PostAsync($"/api/v1/artifacts?{query}", new ByteArrayContent(content));
    }

    /// <summary>Uploads and returns the artifact's id, failing the test when refused.</summary>
    public async Task<string> UploadOkAsync(HttpClient admin, byte[] content, string kind = "agent", string version = "1.2.3")
    {
        using var response = await UploadAsync(admin, content, kind, kind == "agent" ? "edge-agent" : "m1", version);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static byte[] Content(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => Key.Dispose();
}
