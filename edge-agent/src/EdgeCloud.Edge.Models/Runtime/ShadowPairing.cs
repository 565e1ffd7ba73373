using System.Diagnostics.CodeAnalysis;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>Decides whether a candidate can shadow a primary: it must take the very same samples and share at least one output tag.</summary>
internal static class ShadowPairing
{
    public static bool TryPair(ModelSession primary, ModelSession candidate, [NotNullWhen(true)] out ShadowModel? shadow, out string reason)
    {
        shadow = null;
        var file = candidate.Manifest.SourcePath;
        if (!ModelInputState.SameSamples(primary.Manifest, candidate.Manifest))
        {
            reason = $"{file}: $.inputs: a shadow must read exactly the inputs of '{primary.Name}' (same tags, windows, fill, normalization and schedule kind)";
            return false;
        }

        var pairs = new List<(int, int)>();
        for (var s = 0; s < candidate.Manifest.Outputs.Count; s++)
        {
            var address = candidate.Manifest.Outputs[s].Address;
            for (var p = 0; p < primary.Manifest.Outputs.Count; p++)
            {
                if (primary.Manifest.Outputs[p].Address == address)
                {
                    pairs.Add((p, s));
                }
            }
        }

        if (pairs.Count == 0)
        {
            reason = $"{file}: $.outputs: a shadow must bind at least one output tag of '{primary.Name}' ({string.Join(", ", primary.Manifest.Outputs.Select(o => o.Address))}) to compare";
            return false;
        }

        var first = primary.Manifest.Outputs[pairs[0].Item1];
        shadow = new ShadowModel(candidate, [.. pairs], first.Device, candidate.Name + ".divergence");
        reason = "";
        return true;
    }
}
