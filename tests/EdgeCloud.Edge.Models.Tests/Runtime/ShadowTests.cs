using EdgeCloud.Edge.Models.Tests.Support;

namespace EdgeCloud.Edge.Models.Tests.Runtime;

[Collection(TrainedModelsCollection.Name)]
public sealed class ShadowTests(TrainedModels trained)
{
    [Fact]
    public async Task Shadow_BesidePrimary_PublishesDivergenceOnly()
    {
        using var folder = new ModelFolder();
        folder.Put("seq", Path.Combine(trained.TestFolder, "offset_0.onnx"), ModelFolder.OffsetManifest());
        folder.Put("seq_v2", Path.Combine(trained.TestFolder, "offset_half.onnx"), ModelFolder.OffsetManifest(shadowOf: "seq"));
        await using var host = await ModelsHost.StartAsync(folder.Path);
        await Eventually.TrueAsync(() => host.Registry.Current.Models is [{ Shadows.Count: 1 }], "seq with its shadow");

        for (var i = 1; i <= 100; i++)
        {
            host.Feed("test", "seq", i);
        }

        await Eventually.TrueAsync(() => host.Published("model/seq_v2.divergence").Count == 100, "100 divergences");
        await Eventually.TrueAsync(() => host.Published("model/seq_out").Count == 100, "100 outputs");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (double)i), host.Published("model/seq_out").Select(p => p.Value.AsDouble()));
        Assert.All(host.Published("model/seq_v2.divergence"), p => Assert.Equal(0.5, p.Value.AsDouble(), 6));
    }

    [Fact]
    public async Task Shadow_WithOtherInputs_StaysIdle()
    {
        using var folder = new ModelFolder();
        folder.Put("seq", Path.Combine(trained.TestFolder, "offset_0.onnx"), ModelFolder.OffsetManifest());
        folder.Put("seq_v2", Path.Combine(trained.TestFolder, "offset_half.onnx"), ModelFolder.OffsetManifest(tag: "test/other", shadowOf: "seq"));
        await using var host = await ModelsHost.StartAsync(folder.Path);
        await Eventually.TrueAsync(() => host.Registry.Find("seq_v2") is not null && host.Registry.Find("seq") is not null, "both loaded");

        Assert.Empty(Assert.Single(host.Registry.Current.Models).Shadows);
        host.Feed("test", "seq", 1);
        host.Feed("test", "other", 1);
        await Eventually.TrueAsync(() => host.Published("model/seq_out").Count == 1, "the primary runs");
        Assert.Empty(host.Published("model/seq_v2.divergence"));
    }
}
