namespace EdgeCloud.Edge.Configuration;

/// <summary>One element of an ONNX output published as a derived tag.</summary>
/// <param name="Name">The ONNX output's name.</param>
/// <param name="Index">The element within one row of that output (0 for a single value).</param>
/// <param name="Device">The derived tag's device (not a device of the site config), for example <c>model</c>.</param>
/// <param name="Tag">The derived tag's name.</param>
public sealed record ModelOutputBinding(string Name, int Index, string Device, string Tag)
{
    /// <summary>The derived tag's address, <c>device/tag</c>.</summary>
    public string Address => string.Concat(Device, "/", Tag);

    /// <summary>
    /// A threshold rule on this output (<c>"alarm"</c> in the manifest), run by the agent's rule
    /// engine while the model is loaded; named <c>model.&lt;model&gt;.&lt;tag&gt;</c>. Null when none.
    /// </summary>
    public RuleConfig? Alarm { get; init; }
}
