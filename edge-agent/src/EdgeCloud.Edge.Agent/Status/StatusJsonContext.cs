using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeCloud.Edge.Agent.Status;

/// <summary>Source-generated JSON for the status report: no reflection, so a trimmed publish keeps working.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(AgentStatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For writing: the relaxed encoder leaves '+' and quotes in versions and error texts readable
    /// (the document goes to a local reader as application/json, never into HTML).
    /// </summary>
    public static StatusJsonContext Relaxed { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
