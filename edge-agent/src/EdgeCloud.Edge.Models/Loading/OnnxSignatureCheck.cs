using EdgeCloud.Edge.Configuration;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeCloud.Edge.Models.Loading;

/// <summary>
/// Checks a session's input and output metadata (names, element types, shapes) against the
/// manifest. Errors name the manifest and the JSON path of the binding at fault, and say what the
/// model actually has, so that a data scientist can fix whichever side is wrong.
/// </summary>
internal static class OnnxSignatureCheck
{
    public static ModelSignature? Check(InferenceSession session, ModelManifest manifest, List<ConfigError> errors)
    {
        var before = errors.Count;
        var file = manifest.SourcePath;
        var batchable = true;
        var inputTails = new long[manifest.Inputs.Count][];
        var bound = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < manifest.Inputs.Count; i++)
        {
            var input = manifest.Inputs[i];
            bound.Add(input.Name);
            if (!session.InputMetadata.TryGetValue(input.Name, out var meta))
            {
                errors.Add(new ConfigError(file, $"$.inputs[{i}].name", $"the model has no input '{input.Name}' (inputs: {Names(session.InputMetadata)})"));
                continue;
            }

            if (!IsFloatTensor(meta))
            {
                errors.Add(new ConfigError(file, $"$.inputs[{i}].name", $"input '{input.Name}' is {TypeName(meta)}; only float tensors (tensor(float)) can be fed from tags"));
                continue;
            }

            var dims = meta.Dimensions;
            var fits = dims.Length switch
            {
                2 => dims[1] == input.Length,
                3 => dims[1] == input.Window && dims[2] == input.Features.Count,
                _ => false,
            };
            if (!fits || dims[0] is not (-1 or 1))
            {
                errors.Add(new ConfigError(file, $"$.inputs[{i}].window",
                    $"input '{input.Name}' has shape {Shape(meta)}; the manifest feeds a window of {input.Window} x {input.Features.Count} feature(s) = {input.Length} value(s) per sample, " +
                    $"which needs [batch, {input.Length}] or [batch, {input.Window}, {input.Features.Count}]"));
                continue;
            }

            batchable &= dims[0] == -1;
            inputTails[i] = [.. dims[1..].Select(d => (long)d)];
        }

        foreach (var name in session.InputMetadata.Keys.Where(n => !bound.Contains(n)))
        {
            errors.Add(new ConfigError(file, "$.inputs", $"the model's input '{name}' is not bound: bind every input ({Names(session.InputMetadata)})"));
        }

        var outputNames = new List<string>();
        var outputTails = new List<long[]>();
        var bindings = new (int, int)[manifest.Outputs.Count];
        for (var i = 0; i < manifest.Outputs.Count; i++)
        {
            var output = manifest.Outputs[i];
            if (!session.OutputMetadata.TryGetValue(output.Name, out var meta))
            {
                errors.Add(new ConfigError(file, $"$.outputs[{i}].name", $"the model has no output '{output.Name}' (outputs: {Names(session.OutputMetadata)})"));
                continue;
            }

            if (!IsFloatTensor(meta))
            {
                errors.Add(new ConfigError(file, $"$.outputs[{i}].name", $"output '{output.Name}' is {TypeName(meta)}; only float tensors (tensor(float)) can become tags"));
                continue;
            }

            var dims = meta.Dimensions;
            if (dims.Length < 1 || dims[0] is not (-1 or 1) || dims.Skip(1).Any(d => d < 1))
            {
                errors.Add(new ConfigError(file, $"$.outputs[{i}].name", $"output '{output.Name}' has shape {Shape(meta)}; an output needs a batch dimension first and fixed dimensions after it"));
                continue;
            }

            var slot = outputNames.IndexOf(output.Name);
            if (slot < 0)
            {
                slot = outputNames.Count;
                outputNames.Add(output.Name);
                outputTails.Add([.. dims[1..].Select(d => (long)d)]);
                batchable &= dims[0] == -1;
            }

            var row = ModelSignature.RowLength(outputTails[slot]);
            if (output.Index >= row)
            {
                errors.Add(new ConfigError(file, $"$.outputs[{i}].index", $"output '{output.Name}' has {row} value(s) per sample (shape {Shape(meta)}); index {output.Index} is past its end"));
                continue;
            }

            bindings[i] = (slot, output.Index);
        }

        return errors.Count > before ? null : new ModelSignature
        {
            InputNames = [.. manifest.Inputs.Select(x => x.Name)],
            InputTails = inputTails,
            OutputNames = [.. outputNames],
            OutputTails = [.. outputTails],
            Bindings = bindings,
            Batchable = batchable,
        };
    }

    private static bool IsFloatTensor(NodeMetadata meta) => meta.IsTensor && meta.ElementDataType == TensorElementType.Float;

    private static string TypeName(NodeMetadata meta) =>
        meta.IsTensor ? $"tensor({meta.ElementDataType.ToString().ToLowerInvariant()})" : meta.OnnxValueType.ToString().ToLowerInvariant();

    private static string Shape(NodeMetadata meta) =>
        "[" + string.Join(", ", meta.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : i < meta.SymbolicDimensions.Length && meta.SymbolicDimensions[i].Length > 0 ? meta.SymbolicDimensions[i] : "?")) + "]";

    private static string Names(IReadOnlyDictionary<string, NodeMetadata> metadata) => string.Join(", ", metadata.Keys);
}
