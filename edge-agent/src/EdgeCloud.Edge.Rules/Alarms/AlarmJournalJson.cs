using System.Text.Json.Serialization;

namespace EdgeCloud.Edge.Rules.Alarms;

/// <summary>Source-generated JSON for the alarm journal (no reflection; NaN values allowed, enums by name).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(AlarmJournalState))]
internal sealed partial class AlarmJournalJson : JsonSerializerContext;
