using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models.Tests.Support;

namespace EdgeCloud.Edge.Models.Tests.Configuration;

public sealed class ModelManifestTests
{
    private const string Valid = """
        {
          // comments are allowed
          "runIntervalMs": 500,
          "inputs": [ { "name": "x", "window": 4, "fill": "hold",
                        "features": [ { "tag": "simulator/temperature", "normalize": { "mean": 21.5, "std": 2 } },
                                      { "tag": "simulator/flow", "normalize": { "min": 10, "max": 15 } } ] } ],
          "outputs": [ { "name": "y", "index": 1, "tag": "model/out" } ],
        }
        """;

    [Fact]
    public void TryParseModelManifest_Valid_ReadsEveryField()
    {
        var errors = new List<ConfigError>();
        var manifest = ConfigLoader.TryParseModelManifest("/m/pump.model.json", Valid, errors);

        Assert.Empty(errors);
        Assert.NotNull(manifest);
        Assert.Equal("pump", manifest.Name);
        Assert.Equal(TimeSpan.FromMilliseconds(500), manifest.RunInterval);
        Assert.False(manifest.RunOnChange);
        var input = Assert.Single(manifest.Inputs);
        Assert.Equal(8, input.Length);
        Assert.Equal(ModelFillPolicy.Hold, input.Fill);
        Assert.Equal(0.25, input.Features[0].Normalization.Apply(22));
        Assert.Equal(0.5, input.Features[1].Normalization.Apply(12.5));
        Assert.Equal(new ModelOutputBinding("y", 1, "model", "out"), Assert.Single(manifest.Outputs));
    }

    [Theory]
    [InlineData("regression")]
    [InlineData("anomaly")]
    public void TryLoadModelManifest_CommittedSamples_AreValid(string name)
    {
        var errors = new List<ConfigError>();
        var manifest = ConfigLoader.TryLoadModelManifest(Path.Combine(TrainedModels.CommittedFolder, name + ".model.json"), errors);

        Assert.Empty(errors);
        Assert.Equal(name, manifest!.Name);
        Assert.All(manifest.Inputs.SelectMany(i => i.Features), f => Assert.Equal("simulator", f.Device));
    }

    [Theory]
    [InlineData("\"window\": 4", "\"window\": 0", "$.inputs[0].window", "out of range")]
    [InlineData("\"fill\": \"hold\"", "\"fill\": \"zero\"", "$.inputs[0].fill", "unknown value 'zero'")]
    [InlineData("\"tag\": \"simulator/temperature\"", "\"tag\": \"temperature\"", "$.inputs[0].features[0].tag", "write device/tag")]
    [InlineData("\"std\": 2", "\"std\": 0", "$.inputs[0].features[0].normalize.std", "greater than 0")]
    [InlineData("\"max\": 15", "\"max\": 5", "$.inputs[0].features[1].normalize.max", "greater than 'min'")]
    [InlineData("\"runIntervalMs\": 500", "\"runIntervalMs\": 500, \"runOnChange\": true", "$", "not both")]
    [InlineData("\"runIntervalMs\": 500", "\"runEvery\": 500", "$", "say when the model runs")]
    [InlineData("\"runIntervalMs\": 500", "\"runIntervalMs\": 500, \"colour\": 1", "$.colour", "unknown property")]
    [InlineData("\"index\": 1, \"tag\": \"model/out\"", "\"index\": 1, \"tag\": \"simulator/flow\"", "$.outputs[0].tag", "a model cannot feed itself")]
    [InlineData("\"outputs\": [ { \"name\": \"y\", \"index\": 1, \"tag\": \"model/out\" } ]", "\"outputs\": []", "$.outputs", "non-empty array")]
    [InlineData("\"runIntervalMs\": 500", "\"runIntervalMs\": 500, \"shadowOf\": \"pump\"", "$.shadowOf", "not the name of another model")]
    public void TryParseModelManifest_Mistake_NamesFileAndPath(string from, string to, string path, string reason)
    {
        Assert.Contains(from, Valid, StringComparison.Ordinal);
        var errors = new List<ConfigError>();
        var manifest = ConfigLoader.TryParseModelManifest("/m/pump.model.json", Valid.Replace(from, to, StringComparison.Ordinal), errors);

        Assert.Null(manifest);
        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Equal("/m/pump.model.json", error.File);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseModelManifest_BrokenJson_NamesLine()
    {
        var errors = new List<ConfigError>();

        Assert.Null(ConfigLoader.TryParseModelManifest("/m/pump.model.json", "{\n  \"inputs\": [ \n", errors));

        var error = Assert.Single(errors);
        Assert.StartsWith("line ", error.Path, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AgentConfig_ModelsDirectoryDefaultsUnderDataAndCanBeSet()
    {
        var folder = Directory.CreateTempSubdirectory("edgecloud-agent-").FullName;
        try
        {
            var path = Path.Combine(folder, "agent.json");
            const string Body = """
                "agentId": "a1", "dataDirectory": "data", "hub": { "url": "http://127.0.0.1:5081" },
                "devices": [ { "name": "plc", "protocol": "modbus-tcp", "host": "127.0.0.1", "port": 502,
                               "tags": [ { "name": "t", "area": "holding", "address": 0, "type": "int16" } ] } ]
                """;
            File.WriteAllText(path, "{" + Body + "}");
            Assert.Equal(Path.Combine(folder, "data", "models"), ConfigLoader.Load(path).ModelsDirectory);

            File.WriteAllText(path, "{" + Body + ", \"modelsDirectory\": \"/opt/models\" }");
            Assert.Equal("/opt/models", ConfigLoader.Load(path).ModelsDirectory);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
