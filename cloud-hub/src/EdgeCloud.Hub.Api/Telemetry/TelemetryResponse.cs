using System.Text.Json.Serialization;

namespace EdgeCloud.Hub.Api.Telemetry;

/// <summary>
/// The answer to a telemetry query: the bounds actually used (defaults filled in, ISO-8601 UTC), the
/// <see cref="Resolution"/> served (auto resolved), and either <see cref="Points"/> (raw, ordered by time) or
/// <see cref="Buckets"/> (a rollup, ordered by start); the other is omitted. <see cref="Truncated"/> is set
/// when the limit cut off later data in the range (ask again with <c>from</c> just after the last <c>t</c>).
/// </summary>
internal sealed record TelemetryResponse(
    string Agent,
    string Tag,
    string From,
    string To,
    bool Truncated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PointView>? Points,
    string Resolution = "raw",
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<BucketView>? Buckets = null);
