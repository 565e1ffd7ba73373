namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// How a Modbus device's reads are planned and scheduled: the most unused registers one read may
/// span to join two tags (<see cref="MaxGap"/>), the most registers per read (<see cref="MaxBlock"/>;
/// bits count 16 to a register, at most 2000 per read), and named poll groups with their own
/// intervals. A tag names its group; tags without one are polled at the device's interval.
/// </summary>
/// <param name="MaxGap">Unused registers a read may span, 0-124 (8 by default). 0 joins only touching tags.</param>
/// <param name="MaxBlock">Most registers per read, 1-125 (125 by default); for devices with a smaller limit.</param>
/// <param name="Groups">Poll intervals by group name.</param>
public sealed record ModbusPlanningConfig(int MaxGap, int MaxBlock, IReadOnlyDictionary<string, TimeSpan> Groups)
{
    /// <summary>8 registers of gap, 125 per read, no groups.</summary>
    public static ModbusPlanningConfig Default { get; } = new(8, 125, new Dictionary<string, TimeSpan>(StringComparer.Ordinal));
}
