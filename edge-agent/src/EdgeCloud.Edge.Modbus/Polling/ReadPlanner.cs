using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Plans the reads of one poll: tags grouped by area, sorted by address, and neighbours merged
/// into one read when the gap between them is at most the maximum gap and the read stays within the
/// maximum block (125 registers, 2000 bits at most). Reading a few unused registers is cheaper than
/// another round trip; a larger gap risks an IllegalDataAddress on devices with holes in their map.
/// For coils and discrete inputs the gap and block are counted in registers' worth of bits (16 per
/// register), since that is what they cost on the wire, capped at 2000 bits per read.
/// </summary>
/// <remarks>
/// The greedy sweep is optimal for its constraints: for tags sorted by address, extending the
/// current read as far as the gap and size limits allow never needs more reads than any other
/// split (an exchange argument: the first read of an optimal plan can be stretched to the greedy
/// one's end without crossing a limit). Tags wider than the block still get a read of their own.
/// </remarks>
internal static class ReadPlanner
{
    /// <summary>Default largest number of unused registers read to join two tags into one request.</summary>
    public const int MaxGap = 8;

    /// <summary>Returns the reads that together cover every tag exactly once.</summary>
    /// <param name="tags">The tags of one device (or one poll group of it).</param>
    /// <param name="maxGap">Unused registers a read may span to join two tags (0 joins only touching tags).</param>
    /// <param name="maxCount">Most registers per read, 1-125.</param>
    /// <param name="indexes">When given, only these indexes of <paramref name="tags"/> are planned (a poll group).</param>
    public static IReadOnlyList<ReadBlock> Plan(
        IReadOnlyList<ModbusTagConfig> tags, int maxGap = MaxGap, int maxCount = ModbusPdu.MaxReadRegisters, IReadOnlyList<int>? indexes = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCount, ModbusPdu.MaxReadRegisters);
        var chosen = indexes ?? Enumerable.Range(0, tags.Count).ToList();
        var blocks = new List<ReadBlock>();
        foreach (var area in new[] { ModbusRegisterArea.Holding, ModbusRegisterArea.Input, ModbusRegisterArea.Coil, ModbusRegisterArea.DiscreteInput })
        {
            var bits = area.IsBits();
            var gap = bits ? maxGap * 16 : maxGap;
            var limit = bits ? Math.Min(maxCount * 16, ModbusPdu.MaxReadBits) : maxCount;
            var ordered = chosen
                .Where(i => tags[i].Area == area)
                .OrderBy(i => tags[i].Address)
                .ThenBy(i => tags[i].Width)
                .ToList();
            Sweep(tags, ordered, area, gap, limit, blocks);
        }

        return blocks;
    }

    private static void Sweep(IReadOnlyList<ModbusTagConfig> tags, List<int> ordered, ModbusRegisterArea area, int maxGap, int maxCount, List<ReadBlock> blocks)
    {
        var start = -1;
        var end = -1; // exclusive
        var members = new List<int>();
        foreach (var index in ordered)
        {
            var tagStart = (int)tags[index].Address;
            var tagEnd = tagStart + tags[index].Width;
            var joins = members.Count > 0 && tagStart - end <= maxGap && Math.Max(end, tagEnd) - start <= maxCount;
            if (!joins && members.Count > 0)
            {
                blocks.Add(new ReadBlock(area, (ushort)start, end - start, members));
                members = [];
            }

            if (members.Count == 0)
            {
                start = tagStart;
                end = tagEnd;
            }

            end = Math.Max(end, tagEnd);
            members.Add(index);
        }

        if (members.Count > 0)
        {
            blocks.Add(new ReadBlock(area, (ushort)start, end - start, members));
        }
    }
}
