using System.Diagnostics;
using System.Text.Json;

namespace EdgeCloud.Edge.Models.Tests.Support;

/// <summary>
/// Runs <c>models/train.py</c> once with Debian's /usr/bin/python3 (python3-onnx, python3-numpy)
/// into a temp folder: the sample models and fixtures as the script makes them now, plus the tiny
/// test-only models (<c>offset_0</c>: y = x, <c>offset_half</c>: y = x + 0.5, <c>offset_million</c>:
/// y = x + 1e6, <c>int64_input</c>). The committed copies sit in <see cref="CommittedFolder"/>.
/// </summary>
public sealed class TrainedModels : IDisposable
{
    public TrainedModels()
    {
        Root = Path.Combine(Path.GetTempPath(), "edgecloud-models-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        var script = Path.Combine(CommittedFolder, "train.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { script, "--out", SamplesFolder, "--test-models", TestFolder },
        };
        start.Environment["OPENBLAS_NUM_THREADS"] = "1"; // a busy 2-core machine: no BLAS thread pool
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException("train.py did not finish in 2 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"train.py failed ({process.ExitCode}): {stderr}{stdout.Result}");
        }
    }

    /// <summary>The committed models/ folder as copied beside the tests.</summary>
    public static string CommittedFolder => Path.Combine(AppContext.BaseDirectory, "samples");

    public string Root { get; }

    /// <summary>Sample models and fixtures made by this run of the script.</summary>
    public string SamplesFolder => Path.Combine(Root, "samples");

    /// <summary>Test-only models made by this run of the script.</summary>
    public string TestFolder => Path.Combine(Root, "test");

    public static JsonElement CommittedFixtures()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(CommittedFolder, "fixtures.json")));
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}

/// <summary>Tests that share one run of train.py.</summary>
[CollectionDefinition(Name)]
public sealed class TrainedModelsCollection : ICollectionFixture<TrainedModels>
{
    public const string Name = "trained-models";
}
