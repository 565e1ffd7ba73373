using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Rules.Actions;

/// <summary>A device write a rule asked for.</summary>
/// <param name="Rule">The rule that asked.</param>
/// <param name="Device">Target device.</param>
/// <param name="Tag">Target tag.</param>
/// <param name="Value">Value to write.</param>
internal readonly record struct TagWriteRequest(string Rule, string Device, string Tag, TagValue Value);
