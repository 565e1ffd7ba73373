using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

/// <summary>
/// The planner against the exact optimum for generated, realistic register maps: an energy meter's
/// blocks, a drive's scattered parameters, status words with bit tags, strings, coils. The optimum
/// comes from a dynamic program over the address-sorted tags: reads are contiguous runs of them
/// (any plan can be rearranged into such runs without more reads), and f(i) = min over valid runs
/// j..i of f(j-1) + 1, where a run is valid when it spans at most the block and no gap inside it
/// exceeds the maximum gap.
/// </summary>
public sealed class ReadPlannerOptimalityTests
{
    [Theory]
    [InlineData(1, 8, 125)]
    [InlineData(2, 8, 125)]
    [InlineData(3, 0, 125)]
    [InlineData(4, 20, 64)]
    [InlineData(5, 3, 16)]
    public void Plan_500TagLayout_WithinFivePercentOfTheOptimum(int seed, int maxGap, int maxBlock)
    {
        var tags = Layout(seed);
        Assert.Equal(500, tags.Count);

        var plan = ReadPlanner.Plan(tags, maxGap, maxBlock);
        var optimum = Enum.GetValues<ModbusRegisterArea>().Sum(area => Optimum(tags.Where(t => t.Area == area).ToList(), area.IsBits() ? maxGap * 16 : maxGap, area.IsBits() ? Math.Min(maxBlock * 16, 2000) : maxBlock));

        Assert.InRange(plan.Count, optimum, (int)Math.Floor(optimum * 1.05));
        Assert.Equal(500, plan.Sum(b => b.Tags.Count));
        Assert.All(plan, b => Assert.InRange(b.Count, 1, b.Area.IsBits() ? 2000 : maxBlock));
        foreach (var block in plan)
        {
            Assert.All(block.Tags, i => Assert.True(tags[i].Address >= block.Start && tags[i].Address + tags[i].Width <= block.Start + block.Count));
        }
    }

    [Fact]
    public void Plan_MaxBlockOf10_NoReadLonger()
    {
        var tags = Enumerable.Range(0, 30).Select(i => new ModbusTagConfig($"t{i}", ModbusRegisterArea.Holding, (ushort)i, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null)).ToList();

        var plan = ReadPlanner.Plan(tags, maxGap: 8, maxCount: 10);

        Assert.Equal([10, 10, 10], plan.Select(b => b.Count));
    }

    private static int Optimum(List<ModbusTagConfig> tags, int maxGap, int maxBlock)
    {
        var sorted = tags.OrderBy(t => t.Address).ThenBy(t => t.Width).ToList();
        var best = new int[sorted.Count + 1];
        for (var i = 1; i <= sorted.Count; i++)
        {
            best[i] = int.MaxValue;
            var end = 0;
            var valid = true;
            // Extend the run j..i-1 leftwards: track its end and whether every inner gap fits.
            for (var j = i - 1; j >= 0 && valid; j--)
            {
                var start = (int)sorted[j].Address;
                end = Math.Max(end, start + sorted[j].Width);
                if (end - start > maxBlock)
                {
                    break;
                }

                valid = RunGapsFit(sorted, j, i - 1, maxGap);
                if (valid)
                {
                    best[i] = Math.Min(best[i], best[j] + 1);
                }
            }
        }

        return best[sorted.Count];
    }

    private static bool RunGapsFit(List<ModbusTagConfig> sorted, int from, int to, int maxGap)
    {
        var end = sorted[from].Address + sorted[from].Width;
        for (var k = from + 1; k <= to; k++)
        {
            if (sorted[k].Address - end > maxGap)
            {
                return false;
            }

            end = Math.Max(end, sorted[k].Address + sorted[k].Width);
        }

        return true;
    }

    /// <summary>Clusters of typed registers with random gaps, bit tags on status words, strings and coils: 500 tags.</summary>
    private static List<ModbusTagConfig> Layout(int seed)
    {
        var random = new Random(seed);
        var tags = new List<ModbusTagConfig>();
        var next = new Dictionary<ModbusRegisterArea, int> { [ModbusRegisterArea.Holding] = 0, [ModbusRegisterArea.Input] = 0, [ModbusRegisterArea.Coil] = 0, [ModbusRegisterArea.DiscreteInput] = 0 };
        ModbusDataType[] types = [ModbusDataType.Float32, ModbusDataType.Float32, ModbusDataType.Int16, ModbusDataType.UInt16, ModbusDataType.UInt32, ModbusDataType.Int32, ModbusDataType.Float64, ModbusDataType.UInt64];
        while (tags.Count < 500)
        {
            var roll = random.Next(100);
            var area = roll < 45 ? ModbusRegisterArea.Holding : roll < 80 ? ModbusRegisterArea.Input : roll < 92 ? ModbusRegisterArea.Coil : ModbusRegisterArea.DiscreteInput;

            // Mostly packed maps, now and then a hole (a new block of the device's manual).
            next[area] += random.Next(10) < 7 ? 0 : random.Next(1, random.Next(10) < 7 ? 12 : 200);
            var address = next[area];
            ModbusTagConfig tag;
            if (area.IsBits())
            {
                tag = new($"t{tags.Count}", area, (ushort)address, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null);
                next[area] += 1;
            }
            else if (random.Next(20) == 0)
            {
                tag = new($"t{tags.Count}", area, (ushort)address, ModbusDataType.String, ByteOrder.ABCD, 1, 0, null, Length: random.Next(4, 17));
                next[area] += tag.Width;
            }
            else if (random.Next(10) == 0 && tags.Count <= 495)
            {
                // A status word with a few bit tags on it.
                tags.Add(new($"t{tags.Count}", area, (ushort)address, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null));
                for (var bit = 0; bit < 3 && tags.Count < 499; bit++)
                {
                    tags.Add(new($"t{tags.Count}", area, (ushort)address, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null, Bit: (byte)bit));
                }

                tag = new($"t{tags.Count}", area, (ushort)address, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null, Bit: 7);
                next[area] += 1;
            }
            else
            {
                var type = types[random.Next(types.Length)];
                tag = new($"t{tags.Count}", area, (ushort)address, type, ByteOrder.ABCD, 1, 0, null);
                next[area] += type.RegisterCount();
            }

            tags.Add(tag);
        }

        return tags;
    }
}
