namespace EdgeCloud.Edge.Models.Loading;

/// <summary>
/// A model's tensors as checked against its manifest: the shapes after the batch dimension, the
/// outputs to fetch, and where each bound output element lives in one row. Every shape here is
/// fixed; only the batch dimension may vary, and only when <see cref="Batchable"/>.
/// </summary>
internal sealed class ModelSignature
{
    /// <summary>The ONNX inputs, in manifest order.</summary>
    public required string[] InputNames { get; init; }

    /// <summary>Each input's dimensions after the batch dimension.</summary>
    public required long[][] InputTails { get; init; }

    /// <summary>The ONNX outputs fetched (each bound at least once), in order of first binding.</summary>
    public required string[] OutputNames { get; init; }

    /// <summary>Each fetched output's dimensions after the batch dimension.</summary>
    public required long[][] OutputTails { get; init; }

    /// <summary>For each manifest output binding: which fetched output, and which element of its row.</summary>
    public required (int Output, int Element)[] Bindings { get; init; }

    /// <summary>True when every input and fetched output has a dynamic batch dimension, so several samples can run in one call.</summary>
    public required bool Batchable { get; init; }

    /// <summary>Values in one row of a fetched output.</summary>
    public static int RowLength(long[] tail)
    {
        long n = 1;
        foreach (var d in tail)
        {
            n *= d;
        }

        return checked((int)n);
    }
}
