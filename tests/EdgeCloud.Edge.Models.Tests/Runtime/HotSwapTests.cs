using EdgeCloud.Edge.Models.Tests.Support;
using Xunit.Abstractions;

namespace EdgeCloud.Edge.Models.Tests.Runtime;

[Collection(TrainedModelsCollection.Name)]
public sealed class HotSwapTests(TrainedModels trained, ITestOutputHelper output)
{
    [Fact]
    public async Task ModelFileReplaced_WhilePointsFlow_EverySequencePointRunsExactlyOnceInOrder()
    {
        using var folder = new ModelFolder();
        var zero = Path.Combine(trained.TestFolder, "offset_0.onnx");
        var million = Path.Combine(trained.TestFolder, "offset_million.onnx");
        folder.Put("seq", zero, ModelFolder.OffsetManifest());
        await using var host = await ModelsHost.StartAsync(folder.Path, o => o.QueueCapacity = 1 << 20);
        await Eventually.TrueAsync(() => host.Registry.Find("seq") is not null, "model 'seq' loaded");

        // The producer plays the batcher: one thread, a steady flow of sequence points.
        using var stop = new CancellationTokenSource();
        var fed = 0;
        var producer = Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    host.Feed("test", "seq", ++fed);
                    if (fed % 50 == 0)
                    {
                        Thread.Sleep(1); // pacing only: about 20-50k points/s
                    }
                }
            },
            TaskCreationOptions.LongRunning);

        // Six swaps under load: the .onnx flips between y = x and y = x + 1e6 (the input windows are
        // inherited), and every other swap also flips the manifest's fill policy (wait <-> hold:
        // the same samples for good points, but a different input state, so the old one is closed
        // and drained by the old model).
        for (var swap = 0; swap < 6; swap++)
        {
            var before = host.Registry.Find("seq");
            File.Copy(swap % 2 == 0 ? million : zero, folder.OnnxOf("seq"), overwrite: true);
            if (swap % 2 == 1)
            {
                File.WriteAllText(folder.ManifestOf("seq"), ModelFolder.OffsetManifest(fill: swap % 4 == 1 ? "hold" : "wait"));
            }

            await Eventually.TrueAsync(() => !ReferenceEquals(host.Registry.Find("seq"), before) && host.Registry.Find("seq")!.Fingerprint.Length > 0, $"swap {swap} in force");
            await Eventually.TrueAsync(() => host.Watcher.Problems.Count == 0, "no refused version");
        }

        await stop.CancelAsync();
        await producer;
        var total = fed;
        await Eventually.TrueAsync(() => host.Published("model/seq_out").Count >= total, $"{total} outputs");

        var outputs = host.Published("model/seq_out").Select(p => p.Value.AsDouble()).ToList();
        Assert.Equal(total, outputs.Count);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (double)i), outputs.Select(v => v >= 1e6 ? v - 1e6 : v));
        var versionChanges = outputs.Zip(outputs.Skip(1)).Count(p => p.First >= 1e6 != p.Second >= 1e6);
        output.WriteLine($"{total} sequence points, 6 swaps, {versionChanges} version changes seen in the outputs");
        Assert.True(versionChanges >= 3, $"only {versionChanges} version changes seen in {total} points: the swaps did not happen under load");
    }
}
