using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models.Loading;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// One loaded model: its manifest, its single <see cref="InferenceSession"/> and the reused
/// tensors of each batch size. A sample is one row of every input concatenated in manifest order
/// (<see cref="InputLength"/> floats); a result is one float per manifest output binding. Used by
/// one thread at a time (the runner's loop); disposed by that loop once retired.
/// </summary>
internal sealed class ModelSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly ModelSignature _signature;
    private readonly int[] _inputRows;
    private readonly int[] _outputRows;
    private readonly RunBuffers?[] _buffers;

    public ModelSession(ModelManifest manifest, InferenceSession session, ModelSignature signature, int maxBatch, string fingerprint)
    {
        Manifest = manifest;
        _session = session;
        _signature = signature;
        Fingerprint = fingerprint;
        _inputRows = [.. manifest.Inputs.Select(x => x.Length)];
        _outputRows = [.. signature.OutputTails.Select(ModelSignature.RowLength)];
        InputLength = _inputRows.Sum();
        MaxBatch = signature.Batchable ? maxBatch : 1;
        _buffers = new RunBuffers?[MaxBatch + 1];
        Rows = new float[MaxBatch * InputLength];
        Results = new float[MaxBatch * manifest.Outputs.Count];
    }

    public ModelManifest Manifest { get; }

    public string Name => Manifest.Name;

    /// <summary>What the files were when loaded (sizes and times), for logs and reload decisions.</summary>
    public string Fingerprint { get; }

    /// <summary>Floats in one sample.</summary>
    public int InputLength { get; }

    /// <summary>Samples per run at most (1 unless the batch dimension is dynamic).</summary>
    public int MaxBatch { get; }

    /// <summary>Scratch rows for the runner: <see cref="MaxBatch"/> samples.</summary>
    public float[] Rows { get; }

    /// <summary>Scratch results for the runner: <see cref="MaxBatch"/> times the output bindings.</summary>
    public float[] Results { get; }

    /// <summary>Runs <paramref name="batch"/> samples from <paramref name="rows"/>; writes one value per output binding and sample into <paramref name="results"/>.</summary>
    public void Run(ReadOnlySpan<float> rows, int batch, Span<float> results)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, MaxBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var buffers = _buffers[batch] ??= new RunBuffers(batch, _signature.InputTails, _signature.OutputTails);
        for (var r = 0; r < batch; r++)
        {
            var sample = rows.Slice(r * InputLength, InputLength);
            var offset = 0;
            for (var i = 0; i < _inputRows.Length; i++)
            {
                sample.Slice(offset, _inputRows[i]).CopyTo(buffers.Inputs[i].AsSpan(r * _inputRows[i]));
                offset += _inputRows[i];
            }
        }

        _session.Run(_runOptions, _signature.InputNames, buffers.InputValues, _signature.OutputNames, buffers.OutputValues);

        var bindings = _signature.Bindings;
        for (var r = 0; r < batch; r++)
        {
            for (var k = 0; k < bindings.Length; k++)
            {
                var (output, element) = bindings[k];
                results[(r * bindings.Length) + k] = buffers.Outputs[output][(r * _outputRows[output]) + element];
            }
        }
    }

    public void Dispose()
    {
        foreach (var buffers in _buffers)
        {
            buffers?.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }
}
