using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Plans the reads of one poll: tags grouped by area, sorted by address, and neighbours merged
/// into one read when the gap between them is at most <see cref="MaxGap"/> registers and the read
/// stays within 125 registers. Reading a few unused registers is cheaper than another round trip;
/// a larger gap risks an IllegalDataAddress on devices with holes in their map.
/// </summary>
internal static class ReadPlanner
{
    /// <summary>Largest number of unused registers read to join two tags into one request.</summary>
    public const int MaxGap = 8;

    /// <summary>Returns the reads that together cover every tag exactly once.</summary>
    public static IReadOnlyList<ReadBlock> Plan(IReadOnlyList<ModbusTagConfig> tags, int maxGap = MaxGap, int maxCount = ModbusPdu.MaxReadRegisters)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var blocks = new List<ReadBlock>();
        foreach (var area in new[] { ModbusRegisterArea.Holding, ModbusRegisterArea.Input })
        {
            var ordered = Enumerable.Range(0, tags.Count)
                .Where(i => tags[i].Area == area)
                .OrderBy(i => tags[i].Address)
                .ThenBy(i => tags[i].DataType.RegisterCount())
                .ToList();

            var start = -1;
            var end = -1; // exclusive
            var members = new List<int>();
            foreach (var index in ordered)
            {
                var tagStart = (int)tags[index].Address;
                var tagEnd = tagStart + tags[index].DataType.RegisterCount();
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

        return blocks;
    }
}
