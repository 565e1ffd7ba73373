using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>Source-generated JSON for <see cref="RevertWatchState"/> (no reflection: a trimmed publish keeps working).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RevertWatchState))]
internal sealed partial class RevertWatchJson : JsonSerializerContext;
