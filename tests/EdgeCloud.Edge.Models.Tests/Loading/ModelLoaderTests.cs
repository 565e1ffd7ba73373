using System.Text.Json;
using EdgeCloud.Edge.Models.Loading;
using EdgeCloud.Edge.Models.Tests.Support;

namespace EdgeCloud.Edge.Models.Tests.Loading;

[Collection(TrainedModelsCollection.Name)]
public sealed class ModelLoaderTests(TrainedModels trained) : IDisposable
{
    private readonly ModelLoader _loader = new(new SiteTagCatalog(TestSite.Create()), new ModelsOptions { MaxBatch = 8 });
    private readonly ModelFolder _folder = new();

    public static TheoryData<string, int> FixtureCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in TrainedModels.CommittedFixtures().EnumerateObject())
        {
            for (var i = 0; i < model.Value.GetArrayLength(); i++)
            {
                data.Add(model.Name, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Load_CommittedSample_OutputsMatchNumpy(string model, int index)
    {
        var fixture = TrainedModels.CommittedFixtures().GetProperty(model)[index];
        using var session = _loader.Load(TrainedModels.CommittedFolder, model);

        var row = fixture.GetProperty("inputs").EnumerateObject().SelectMany(i => i.Value.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        var results = new float[session.Manifest.Outputs.Count];
        session.Run(row, 1, results);

        var expected = fixture.GetProperty("outputs");
        for (var k = 0; k < results.Length; k++)
        {
            var want = expected.GetProperty(session.Manifest.Outputs[k].Address).GetDouble();
            Assert.True(Math.Abs(results[k] - want) <= 1e-5 + (1e-4 * Math.Abs(want)), $"{model} case {index}: ONNX Runtime {results[k]}, numpy {want}");
        }
    }

    [Fact]
    public void Load_SampleBatchOfFour_EqualsFourSingleRuns()
    {
        using var session = _loader.Load(TrainedModels.CommittedFolder, "regression");
        var rows = Enumerable.Range(0, 4 * session.InputLength).Select(i => (float)Math.Sin(i)).ToArray();
        var batched = new float[4];
        session.Run(rows, 4, batched);

        for (var r = 0; r < 4; r++)
        {
            var single = new float[1];
            session.Run(rows.AsSpan(r * session.InputLength, session.InputLength), 1, single);
            Assert.Equal(single[0], batched[r], 5);
        }
    }

    [Fact]
    public void TrainScript_Rerun_ReproducesCommittedFixtures()
    {
        using var fresh = JsonDocument.Parse(File.ReadAllText(Path.Combine(trained.SamplesFolder, "fixtures.json")));
        var committed = TrainedModels.CommittedFixtures();
        foreach (var model in committed.EnumerateObject())
        {
            var cases = fresh.RootElement.GetProperty(model.Name);
            for (var i = 0; i < model.Value.GetArrayLength(); i++)
            {
                foreach (var output in model.Value[i].GetProperty("outputs").EnumerateObject())
                {
                    var again = cases[i].GetProperty("outputs").GetProperty(output.Name).GetDouble();
                    Assert.Equal(output.Value.GetDouble(), again, 4);
                }
            }
        }
    }

    [Fact]
    public void Load_BrokenOnnx_NamesTheOnnxFile()
    {
        File.WriteAllBytes(_folder.OnnxOf("broken"), [0x08, 0x07, 0xFF, 0xFF, 0x12, 0x34]);
        File.WriteAllText(_folder.ManifestOf("broken"), ModelFolder.OffsetManifest());

        var error = Assert.Single(Assert.Throws<ModelLoadException>(() => _loader.Load(_folder.Path, "broken")).Errors);
        Assert.Equal(_folder.OnnxOf("broken"), error.File);
        Assert.Contains("not a loadable ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingOnnx_SaysSo()
    {
        File.WriteAllText(_folder.ManifestOf("alone"), ModelFolder.OffsetManifest());

        var error = Assert.Single(Assert.Throws<ModelLoadException>(() => _loader.Load(_folder.Path, "alone")).Errors);
        Assert.Equal(_folder.OnnxOf("alone"), error.File);
        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WindowDoesNotFitShape_NamesWindowAndShape()
    {
        _folder.Put("m", Path.Combine(trained.TestFolder, "offset_0.onnx"), ModelFolder.OffsetManifest(window: 3));

        var error = Assert.Single(Assert.Throws<ModelLoadException>(() => _loader.Load(_folder.Path, "m")).Errors);
        Assert.Equal((_folder.ManifestOf("m"), "$.inputs[0].window"), (error.File, error.Path));
        Assert.Contains("has shape [batch, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[batch, 3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingTag_NamesFeatureTag()
    {
        _folder.Put("m", Path.Combine(trained.TestFolder, "offset_0.onnx"), ModelFolder.OffsetManifest(tag: "simulator/humidity"));

        var error = Assert.Single(Assert.Throws<ModelLoadException>(() => _loader.Load(_folder.Path, "m")).Errors);
        Assert.Equal((_folder.ManifestOf("m"), "$.inputs[0].features[0].tag"), (error.File, error.Path));
        Assert.Contains("has no tag 'humidity'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OutputOnASiteDevice_IsRefused()
    {
        _folder.Put("m", Path.Combine(trained.TestFolder, "offset_0.onnx"), ModelFolder.OffsetManifest(output: "simulator/level"));

        var error = Assert.Single(Assert.Throws<ModelLoadException>(() => _loader.Load(_folder.Path, "m")).Errors);
        Assert.Equal("$.outputs[0].tag", error.Path);
    }

    [Fact]
    public void Load_Int64Input_NamesElementType()
    {
        _folder.Put("m", Path.Combine(trained.TestFolder, "int64_input.onnx"), ModelFolder.OffsetManifest());

        var error = Assert.Single(Assert.Throws<ModelLoadException>(() => _loader.Load(_folder.Path, "m")).Errors);
        Assert.Equal("$.inputs[0].name", error.Path);
        Assert.Contains("tensor(int64)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownNamesAndIndex_ReportsEach()
    {
        const string Manifest = """
            { "runOnChange": true,
              "inputs": [ { "name": "input", "features": [ { "tag": "test/seq" } ] } ],
              "outputs": [ { "name": "y", "index": 1, "tag": "model/a" }, { "name": "z", "tag": "model/b" } ] }
            """;
        _folder.Put("m", Path.Combine(trained.TestFolder, "offset_0.onnx"), Manifest);

        var errors = Assert.Throws<ModelLoadException>(() => _loader.Load(_folder.Path, "m")).Errors;
        Assert.Contains(errors, e => e.Path == "$.inputs[0].name" && e.Message.Contains("no input 'input' (inputs: x)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.inputs" && e.Message.Contains("'x' is not bound", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.outputs[0].index" && e.Message.Contains("index 1 is past its end", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "$.outputs[1].name" && e.Message.Contains("no output 'z'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OffsetModel_IsBatchableAndAddsItsOffset()
    {
        _folder.Put("m", Path.Combine(trained.TestFolder, "offset_half.onnx"), ModelFolder.OffsetManifest());
        using var session = _loader.Load(_folder.Path, "m");

        Assert.Equal(8, session.MaxBatch);
        var results = new float[3];
        session.Run([1, 2, 3], 3, results);
        Assert.Equal([1.5f, 2.5f, 3.5f], results);
    }

    public void Dispose()
    {
        _loader.Dispose();
        _folder.Dispose();
    }
}
