using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models;
using EdgeCloud.Edge.Models.Loading;
using EdgeCloud.Edge.Models.Runtime;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// The sample regression (models/regression.onnx, a 3-16-1 tanh MLP) through our model path
/// against a raw ONNX Runtime call on the same model in the same process. Ours: three points
/// through the input stage (route lookup, normalization, windows), the sample taken from the
/// windows, the session run on its reused tensors, and the output point made. Raw (baseline):
/// <c>InferenceSession.Run</c> on pre-allocated OrtValues, nothing else. Batched: 32 samples of
/// an on-change copy of the model in one call, per sample (OperationsPerInvoke = 32). The
/// "overhead alone" rows are ours minus the session call (which the batched path's copies into
/// and out of the tensors still miss): on a noisy machine they show the overhead as an absolute
/// figure that the ratio of two noisy means cannot.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ModelInferenceBenchmarks : IDisposable
{
    /// <summary>
    /// In process: building BenchmarkDotNet's generated project (with ONNX Runtime's native
    /// assets) took longer than its 2-minute build timeout on a busy 2-core machine. Both sides of
    /// every ratio run in the same process either way.
    /// </summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance));
    }

    private const int Batch = 32;
    private static readonly string[] InputNames = ["features"];
    private static readonly string[] OutputNames = ["power_kw"];
    private readonly List<DataPoint> _outputs = new(Batch);
    private readonly DateTimeOffset[] _stamps = new DateTimeOffset[Batch];
    private readonly bool[] _uncertain = new bool[Batch];
    private string _folder = "";
    private ModelLoader _loader = null!;
    private ModelRegistry _singleRegistry = null!;
    private ModelRegistry _batchedRegistry = null!;
    private ModelInputStage _singleStage = null!;
    private ModelInputStage _batchedStage = null!;
    private ModelSession _single = null!;
    private ModelSession _batched = null!;
    private ModelInputState _singleState = null!;
    private ModelInputState _batchedState = null!;
    private InferenceSession _raw = null!;
    private SessionOptions _rawOptions = null!;
    private RunOptions _runOptions = null!;
    private OrtValue[] _rawIn1 = null!;
    private OrtValue[] _rawOut1 = null!;
    private OrtValue[] _rawIn32 = null!;
    private OrtValue[] _rawOut32 = null!;
    private float[] _rawInput1 = null!;
    private float[] _rawInput32 = null!;
    private double _t;

    [GlobalSetup]
    public void Setup()
    {
        var samples = FindModels();
        _folder = Directory.CreateTempSubdirectory("edgecloud-bench-models-").FullName;
        File.Copy(Path.Combine(samples, "regression.onnx"), Path.Combine(_folder, "regression.onnx"));
        File.Copy(Path.Combine(samples, "regression.model.json"), Path.Combine(_folder, "regression.model.json"));
        File.Copy(Path.Combine(samples, "regression.onnx"), Path.Combine(_folder, "batched.onnx"));
        var manifest = File.ReadAllText(Path.Combine(samples, "regression.model.json"))
            .Replace("\"runIntervalMs\": 1000", "\"runOnChange\": true", StringComparison.Ordinal)
            .Replace("model/power_kw", "model/power_kw_batched", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_folder, "batched.model.json"), manifest);

        static ModbusTagConfig Tag(string name) => new(name, ModbusRegisterArea.Holding, 0, ModbusDataType.Float32, ByteOrder.ABCD, 1, 0, null);
        var site = new SiteConfig([new ModbusTcpDeviceConfig("simulator", "127.0.0.1", 5020, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), [Tag("temperature"), Tag("pressure"), Tag("flow")])]);
        var options = new ModelsOptions { MaxBatch = Batch, QueueCapacity = 4 * Batch };
        _loader = new ModelLoader(new SiteTagCatalog(site), options);
        // One registry (and stage) per case, so that each case pays only for its own model.
        _singleRegistry = new ModelRegistry(options, NullLogger<ModelRegistry>.Instance);
        _batchedRegistry = new ModelRegistry(options, NullLogger<ModelRegistry>.Instance);
        _single = _loader.Load(_folder, "regression");
        _batched = _loader.Load(_folder, "batched");
        _singleRegistry.Install(_single);
        _batchedRegistry.Install(_batched);
        _singleStage = new ModelInputStage(_singleRegistry);
        _batchedStage = new ModelInputStage(_batchedRegistry);
        _singleState = _singleRegistry.Current.Models[0].State;
        _batchedState = _batchedRegistry.Current.Models[0].State;
        foreach (var stage in new[] { _singleStage, _batchedStage })
        {
            Feed(stage, "temperature", 21.5);
            Feed(stage, "pressure", 1013.25);
            Feed(stage, "flow", 12.5);
        }

        _batchedState.Take(_batched.Rows, _stamps, _uncertain, Batch);

        _rawOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _raw = new InferenceSession(File.ReadAllBytes(Path.Combine(_folder, "regression.onnx")), _rawOptions);
        _runOptions = new RunOptions();
        _rawInput1 = [0.1f, -0.2f, 0.3f];
        _rawInput32 = [.. Enumerable.Range(0, 3 * Batch).Select(i => (float)Math.Sin(i))];
        _rawIn1 = [OrtValue.CreateTensorValueFromMemory(_rawInput1, [1, 3])];
        _rawOut1 = [OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1])];
        _rawIn32 = [OrtValue.CreateTensorValueFromMemory(_rawInput32, [Batch, 3])];
        _rawOut32 = [OrtValue.CreateTensorValueFromMemory(new float[Batch], [Batch, 1])];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _singleRegistry?.Dispose();
        _batchedRegistry?.Dispose();
        _loader?.Dispose();
        foreach (var value in (_rawIn1 ?? []).Concat(_rawOut1 ?? []).Concat(_rawIn32 ?? []).Concat(_rawOut32 ?? []))
        {
            value.Dispose();
        }

        _runOptions?.Dispose();
        _raw?.Dispose();
        _rawOptions?.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "raw InferenceSession.Run, 1 sample")]
    [BenchmarkCategory("single")]
    public float RawSingle()
    {
        _raw.Run(_runOptions, InputNames, _rawIn1, OutputNames, _rawOut1);
        return _rawOut1[0].GetTensorDataAsSpan<float>()[0];
    }

    [Benchmark(Description = "ours: 3 points in, window sample, run, output point")]
    [BenchmarkCategory("single")]
    public float OursSingle()
    {
        Feed(_singleStage, "temperature", 21.5 + Wave());
        Feed(_singleStage, "pressure", 1013.25);
        Feed(_singleStage, "flow", 12.5);
        _singleState.TrySnapshot(_single.Rows.AsSpan(0, _single.InputLength), out var uncertain);
        _single.Run(_single.Rows.AsSpan(0, _single.InputLength), 1, _single.Results);
        _outputs.Clear();
        _outputs.Add(new DataPoint("model", "power_kw", DateTimeOffset.UnixEpoch, TagValue.FromNumber(_single.Results[0]), uncertain ? PointQuality.Uncertain : PointQuality.Good));
        return _single.Results[0];
    }

    [Benchmark(Description = "ours without the ONNX Runtime call: the overhead alone")]
    [BenchmarkCategory("single")]
    public float OursSingleOverheadOnly()
    {
        Feed(_singleStage, "temperature", 21.5 + Wave());
        Feed(_singleStage, "pressure", 1013.25);
        Feed(_singleStage, "flow", 12.5);
        _singleState.TrySnapshot(_single.Rows.AsSpan(0, _single.InputLength), out var uncertain);
        _outputs.Clear();
        _outputs.Add(new DataPoint("model", "power_kw", DateTimeOffset.UnixEpoch, TagValue.FromNumber(_single.Results[0]), uncertain ? PointQuality.Uncertain : PointQuality.Good));
        return _single.Rows[0];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "raw InferenceSession.Run, batch of 32, per sample")]
    [BenchmarkCategory("batch32")]
    public float RawBatch()
    {
        _raw.Run(_runOptions, InputNames, _rawIn32, OutputNames, _rawOut32);
        return _rawOut32[0].GetTensorDataAsSpan<float>()[Batch - 1];
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "ours: 32 points queued on change, one batched run, 32 output points, per sample")]
    [BenchmarkCategory("batch32")]
    public float OursBatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            Feed(_batchedStage, "flow", 12.5 + Wave());
        }

        var n = _batchedState.Take(_batched.Rows, _stamps, _uncertain, Batch);
        _batched.Run(_batched.Rows.AsSpan(0, n * _batched.InputLength), n, _batched.Results);
        _outputs.Clear();
        for (var r = 0; r < n; r++)
        {
            _outputs.Add(new DataPoint("model", "power_kw_batched", _stamps[r], TagValue.FromNumber(_batched.Results[r]), PointQuality.Good));
        }

        return _batched.Results[n - 1];
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "ours without the ONNX Runtime call: the overhead alone, per sample")]
    [BenchmarkCategory("batch32")]
    public float OursBatchOverheadOnly()
    {
        for (var i = 0; i < Batch; i++)
        {
            Feed(_batchedStage, "flow", 12.5 + Wave());
        }

        var n = _batchedState.Take(_batched.Rows, _stamps, _uncertain, Batch);
        _outputs.Clear();
        for (var r = 0; r < n; r++)
        {
            _outputs.Add(new DataPoint("model", "power_kw_batched", _stamps[r], TagValue.FromNumber(_batched.Results[r]), PointQuality.Good));
        }

        return _batched.Rows[0];
    }

    private void Feed(ModelInputStage stage, string tag, double value) =>
        stage.Process(new DataPoint("simulator", tag, DateTimeOffset.UnixEpoch, TagValue.FromNumber(value), PointQuality.Good), _outputs);

    private double Wave() => Math.Sin(_t += 0.01);

    private static string FindModels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models");
            if (File.Exists(Path.Combine(candidate, "regression.onnx")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("models/regression.onnx not found above " + AppContext.BaseDirectory);
    }
}
