namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>A value with its status and timestamps as a server reports it (OPC 10000-6 §5.2.2.17).</summary>
/// <param name="Value">The value; <see cref="Variant.Null"/> when absent.</param>
/// <param name="Status">The status code (Good when absent on the wire).</param>
/// <param name="SourceTimestamp">When the source produced the value, or null.</param>
/// <param name="ServerTimestamp">When the server saw it, or null.</param>
internal sealed record DataValue(Variant Value, uint Status, DateTime? SourceTimestamp, DateTime? ServerTimestamp)
{
    public static DataValue FromValue(Variant value) => new(value, StatusCodes.Good, null, null);
}
