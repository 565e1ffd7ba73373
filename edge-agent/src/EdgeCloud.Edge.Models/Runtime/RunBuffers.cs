using Microsoft.ML.OnnxRuntime;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// Pinned input and output tensors for one batch size, made once and reused by every run of that
/// size: a run writes the inputs in place and ONNX Runtime writes the outputs in place, so the hot
/// path allocates nothing.
/// </summary>
internal sealed class RunBuffers : IDisposable
{
    public RunBuffers(int batch, long[][] inputTails, long[][] outputTails)
    {
        Inputs = new float[inputTails.Length][];
        InputValues = new OrtValue[inputTails.Length];
        Outputs = new float[outputTails.Length][];
        OutputValues = new OrtValue[outputTails.Length];
        try
        {
            Make(batch, inputTails, Inputs, InputValues);
            Make(batch, outputTails, Outputs, OutputValues);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The input tensors' memory, one array per input, rows one after another.</summary>
    public float[][] Inputs { get; }

    /// <summary>The input tensors over <see cref="Inputs"/>.</summary>
    public OrtValue[] InputValues { get; }

    /// <summary>The output tensors' memory.</summary>
    public float[][] Outputs { get; }

    /// <summary>The output tensors over <see cref="Outputs"/>.</summary>
    public OrtValue[] OutputValues { get; }

    public void Dispose()
    {
        foreach (var value in InputValues)
        {
            value?.Dispose();
        }

        foreach (var value in OutputValues)
        {
            value?.Dispose();
        }
    }

    private static void Make(int batch, long[][] tails, float[][] arrays, OrtValue[] values)
    {
        for (var i = 0; i < tails.Length; i++)
        {
            long[] shape = [batch, .. tails[i]];
            arrays[i] = new float[batch * Loading.ModelSignature.RowLength(tails[i])];
            values[i] = OrtValue.CreateTensorValueFromMemory(arrays[i], shape);
        }
    }
}
