namespace EdgeCloud.Edge.Points;

/// <summary>
/// One observation of one tag: the unit that flows from a source through the pipeline to the
/// outbox. <see cref="Timestamp"/> is the source timestamp in UTC; ordering downstream uses
/// outbox sequence numbers, never this clock.
/// </summary>
/// <param name="Device">Device name, unique in the site config.</param>
/// <param name="Tag">Tag name, unique within its device.</param>
/// <param name="Timestamp">Source timestamp, UTC.</param>
/// <param name="Value">The value; <see cref="TagValue.None"/> for a bad point.</param>
/// <param name="Quality">Quality of the value.</param>
/// <param name="StatusDetail">Protocol detail for a bad point (for example a Modbus exception code), else 0.</param>
public readonly record struct DataPoint(
    string Device,
    string Tag,
    DateTimeOffset Timestamp,
    TagValue Value,
    PointQuality Quality,
    uint StatusDetail = 0)
{
    /// <summary>The tag's address inside the agent: <c>device/tag</c>.</summary>
    public string Address => string.Concat(Device, "/", Tag);
}
