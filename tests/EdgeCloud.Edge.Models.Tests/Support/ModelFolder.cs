namespace EdgeCloud.Edge.Models.Tests.Support;

/// <summary>A temp models folder and the manifests the tests drop into it.</summary>
internal sealed class ModelFolder : IDisposable
{
    public ModelFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edgecloud-models-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>An on-change manifest reading one tag (window 1) into input <c>x</c>, output <c>y</c> to <paramref name="output"/>.</summary>
    public static string OffsetManifest(string tag = "test/seq", string output = "model/seq_out", string fill = "wait", string? shadowOf = null, int window = 1) =>
        $$"""
        {
          "runOnChange": true,
          {{(shadowOf is null ? "" : $"\"shadowOf\": \"{shadowOf}\",")}}
          "inputs": [ { "name": "x", "window": {{window}}, "fill": "{{fill}}", "features": [ { "tag": "{{tag}}" } ] } ],
          "outputs": [ { "name": "y", "tag": "{{output}}" } ]
        }
        """;

    public string Put(string name, string onnxSource, string manifest)
    {
        File.Copy(onnxSource, OnnxOf(name), overwrite: true);
        File.WriteAllText(ManifestOf(name), manifest);
        return name;
    }

    public string OnnxOf(string name) => System.IO.Path.Combine(Path, name + ".onnx");

    public string ManifestOf(string name) => System.IO.Path.Combine(Path, name + ".model.json");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
