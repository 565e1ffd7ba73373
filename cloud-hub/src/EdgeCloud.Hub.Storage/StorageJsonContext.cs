using System.Text.Json.Serialization;

namespace EdgeCloud.Hub.Storage;

/// <summary>Source-generated JSON for the few values the stores pass as JSON (agent lists in SQL parameters).</summary>
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
