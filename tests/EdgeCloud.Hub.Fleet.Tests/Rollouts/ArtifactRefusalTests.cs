using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>
/// Uploads the hub must refuse, each with its specific reason, leaving no file and no row behind and an
/// audit entry. One hub for all cases (none of them may change what it holds).
/// </summary>
public sealed class ArtifactRefusalTests(ArtifactRefusalTests.RefusingHub fixture) : IClassFixture<ArtifactRefusalTests.RefusingHub>
{
    [Theory]
    [InlineData("flipped-byte", "bad_signature")]
    [InlineData("wrong-key", "bad_signature")]
    [InlineData("unknown-key", "unknown_key")]
    [InlineData("garbage-version", "bad_version")]
    [InlineData("no-signature", "missing_signature")]
    [InlineData("unknown-kind", "unknown_kind")]
    [InlineData("too-large", "too_large")]
    public async Task Upload_BadArtifact_RefusedWithReasonAndNothingKept(string variant, string reason)
    {
        var (hub, kit) = (fixture.Hub, fixture.Kit);
        using var stranger = new ReleaseKit();
        var refusedBefore = await RefusedUploadsAsync(hub);
        var content = ReleaseKit.Content(variant == "too-large" ? 100_001 : 10_000);
        var flipped = (byte[])content.Clone();
        flipped[5000] ^= 0x01;

        using var response = variant switch
        {
            "flipped-byte" => await kit.UploadAsync(hub.Admin, flipped, signature: kit.Sign("agent", "edge-agent", "1.2.3", content)),
            "wrong-key" => await kit.UploadAsync(hub.Admin, content, signature: stranger.Sign("agent", "edge-agent", "1.2.3", content)),
            "unknown-key" => await kit.UploadAsync(hub.Admin, content, signature: stranger.Sign("agent", "edge-agent", "1.2.3", content), keyId: stranger.KeyId),
            "garbage-version" => await kit.UploadAsync(hub.Admin, content, version: "1.2.x; rm -rf"),
            "no-signature" => await kit.UploadAsync(hub.Admin, content, signature: string.Empty),
            "unknown-kind" => await kit.UploadAsync(hub.Admin, content, kind: "bootloader"),
            _ => await kit.UploadAsync(hub.Admin, content),
        };
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(variant == "too-large" ? HttpStatusCode.RequestEntityTooLarge : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Equal(0, (await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/artifacts")).GetArrayLength());
        Assert.Empty(Directory.GetFiles(Path.Combine(hub.DataPath, "fleet", "artifacts")));
        Assert.Equal(refusedBefore + 1, await RefusedUploadsAsync(hub));
    }

    private static async Task<int> RefusedUploadsAsync(SecureHub hub) =>
        (await hub.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray()
            .Count(e => e.GetProperty("action").GetString() == "artifact.upload" && e.GetProperty("result").GetString() == "refused");

    /// <summary>A hub with small chunks, a 100000-byte upload limit and one registered release key.</summary>
    public sealed class RefusingHub : IAsyncLifetime
    {
        internal SecureHub Hub { get; private set; } = null!;

        internal ReleaseKit Kit { get; } = new();

        public async Task InitializeAsync()
        {
            Hub = await SecureHub.StartAsync(ArtifactTests.ChunkedHub);
            await Kit.RegisterAsync(Hub.Admin);
        }

        public async Task DisposeAsync()
        {
            await Hub.DisposeAsync();
            Kit.Dispose();
        }
    }
}
