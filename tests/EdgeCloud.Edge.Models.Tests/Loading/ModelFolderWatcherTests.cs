using EdgeCloud.Edge.Models.Tests.Support;

namespace EdgeCloud.Edge.Models.Tests.Loading;

[Collection(TrainedModelsCollection.Name)]
public sealed class ModelFolderWatcherTests(TrainedModels trained)
{
    [Fact]
    public async Task BadNewVersion_IsRefusedWithFileAndField_PreviousAndOtherModelsKeepRunning()
    {
        using var folder = new ModelFolder();
        folder.Put("seq", Path.Combine(trained.TestFolder, "offset_0.onnx"), ModelFolder.OffsetManifest());
        folder.Put("other", Path.Combine(trained.TestFolder, "offset_half.onnx"), ModelFolder.OffsetManifest(tag: "test/other", output: "model/other_out"));
        await using var host = await ModelsHost.StartAsync(folder.Path);
        await Eventually.TrueAsync(() => host.Registry.Find("seq") is not null && host.Registry.Find("other") is not null, "both models loaded");

        File.WriteAllBytes(folder.OnnxOf("seq"), [0x0A, 0xFF, 0xFF, 0xFF, 0x01, 0x02]);
        await Eventually.TrueAsync(() => host.Watcher.Problems.ContainsKey("seq"), "the broken .onnx refused");
        var broken = Assert.Single(host.Watcher.Problems["seq"]);
        Assert.Equal((folder.OnnxOf("seq"), "$"), (broken.File, broken.Path));
        Assert.Contains("not a loadable ONNX model", broken.Message, StringComparison.Ordinal);

        File.Copy(Path.Combine(trained.TestFolder, "offset_million.onnx"), folder.OnnxOf("seq"), overwrite: true);
        File.WriteAllText(folder.ManifestOf("seq"), ModelFolder.OffsetManifest(window: 2));
        await Eventually.TrueAsync(() => host.Watcher.Problems.TryGetValue("seq", out var e) && e[0].Path == "$.inputs[0].window", "the wrong shape refused");
        Assert.Equal(folder.ManifestOf("seq"), host.Watcher.Problems["seq"][0].File);

        host.Feed("test", "seq", 7);
        host.Feed("test", "other", 7);
        await Eventually.TrueAsync(() => host.Published("model/seq_out").Count == 1 && host.Published("model/other_out").Count == 1, "both models answer");
        Assert.Equal(7, host.Published("model/seq_out")[0].Value.AsDouble()); // still y = x: the previous version
        Assert.Equal(7.5, host.Published("model/other_out")[0].Value.AsDouble());

        File.WriteAllText(folder.ManifestOf("seq"), ModelFolder.OffsetManifest());
        await Eventually.TrueAsync(() => !host.Watcher.Problems.ContainsKey("seq"), "the fixed version loaded");
        host.Feed("test", "seq", 8);
        await Eventually.TrueAsync(() => host.Published("model/seq_out").Count == 2, "the new version answers");
        Assert.Equal(1_000_008, host.Published("model/seq_out")[1].Value.AsDouble());
    }

    [Fact]
    public async Task ManifestRemoved_UnloadsModel()
    {
        using var folder = new ModelFolder();
        folder.Put("seq", Path.Combine(trained.TestFolder, "offset_0.onnx"), ModelFolder.OffsetManifest());
        await using var host = await ModelsHost.StartAsync(folder.Path);
        await Eventually.TrueAsync(() => host.Registry.Find("seq") is not null, "model loaded");

        File.Delete(folder.ManifestOf("seq"));

        await Eventually.TrueAsync(() => host.Registry.Find("seq") is null, "model unloaded");
        Assert.Empty(host.Registry.Current.Routes);
    }

    [Fact]
    public async Task SampleModels_DroppedIntoFolder_LoadAndRunOnSimulatorTags()
    {
        using var folder = new ModelFolder();
        foreach (var file in Directory.EnumerateFiles(TrainedModels.CommittedFolder).Where(f => f.EndsWith(".onnx", StringComparison.Ordinal) || f.EndsWith(".model.json", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        }

        await using var host = await ModelsHost.StartAsync(folder.Path);
        await Eventually.TrueAsync(() => host.Registry.Find("regression") is not null && host.Registry.Find("anomaly") is not null, "both samples loaded");

        for (var t = 0; t < 8; t++)
        {
            host.Feed("simulator", "temperature", 21.5 + (2.5 * Math.Sin(2 * Math.PI * t / 60)));
            host.Feed("simulator", "pressure", 1013.25 + (5 * Math.Sin(2 * Math.PI * t / 120)));
            host.Feed("simulator", "flow", 12.5 + (2.5 * Math.Sin(2 * Math.PI * t / 45)));
        }

        // Both run every second from their windows.
        await Eventually.TrueAsync(() => host.Published("model/power_kw").Count > 0 && host.Published("model/anomaly_score").Count > 0, "outputs of both samples");
        var power = host.Published("model/power_kw")[^1].Value.AsDouble();
        Assert.InRange(power, 9, 15);
        Assert.InRange(host.Published("model/anomaly_score")[^1].Value.AsDouble(), 0, 1e-3);
    }
}
