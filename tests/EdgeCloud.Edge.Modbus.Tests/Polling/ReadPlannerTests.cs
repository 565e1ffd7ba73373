using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

public sealed class ReadPlannerTests
{
    [Fact]
    public void Plan_ContiguousTags_OneRead()
    {
        var blocks = ReadPlanner.Plan([Tag("a", 0, ModbusDataType.Float32), Tag("b", 2, ModbusDataType.Int16), Tag("c", 3, ModbusDataType.UInt32)]);

        var block = Assert.Single(blocks);
        Assert.Equal((ModbusRegisterArea.Holding, (ushort)0, 5), (block.Area, block.Start, block.Count));
        Assert.Equal([0, 1, 2], block.Tags);
    }

    [Fact]
    public void Plan_GapOfEight_JoinsAndGapOfNine_Splits()
    {
        // a ends at 1 (exclusive 2); b starts at 10 (gap 8); c starts at 20 (gap 9 after b ends at 11).
        var blocks = ReadPlanner.Plan([Tag("a", 0, ModbusDataType.Float32), Tag("b", 10, ModbusDataType.Int16), Tag("c", 20, ModbusDataType.Int16)]);

        Assert.Equal(2, blocks.Count);
        Assert.Equal(((ushort)0, 11), (blocks[0].Start, blocks[0].Count));
        Assert.Equal(((ushort)20, 1), (blocks[1].Start, blocks[1].Count));
    }

    [Fact]
    public void Plan_MoreThan125Registers_SplitsAtTheLimit()
    {
        var tags = Enumerable.Range(0, 70).Select(i => Tag($"t{i}", (ushort)(i * 2), ModbusDataType.Float32)).ToList();

        var blocks = ReadPlanner.Plan(tags);

        Assert.All(blocks, b => Assert.InRange(b.Count, 1, 125));
        Assert.Equal(140, blocks.Sum(b => b.Count));
        Assert.Equal(70, blocks.Sum(b => b.Tags.Count));
        Assert.Equal(2, blocks.Count);
    }

    [Fact]
    public void Plan_AreasAndOrder_GroupsByAreaAndSortsByAddress()
    {
        var blocks = ReadPlanner.Plan(
        [
            Tag("late", 30, ModbusDataType.Int16),
            Tag("in", 0, ModbusDataType.Int16, ModbusRegisterArea.Input),
            Tag("early", 28, ModbusDataType.Int16),
        ]);

        Assert.Equal(2, blocks.Count);
        Assert.Equal((ModbusRegisterArea.Holding, (ushort)28, 3), (blocks[0].Area, blocks[0].Start, blocks[0].Count));
        Assert.Equal([2, 0], blocks[0].Tags);
        Assert.Equal((ModbusRegisterArea.Input, (ushort)0, 1), (blocks[1].Area, blocks[1].Start, blocks[1].Count));
    }

    [Fact]
    public void Plan_OverlappingTags_ShareOneRead()
    {
        var blocks = ReadPlanner.Plan([Tag("whole", 4, ModbusDataType.UInt32), Tag("high", 4, ModbusDataType.UInt16)]);

        var block = Assert.Single(blocks);
        Assert.Equal(((ushort)4, 2), (block.Start, block.Count));
        Assert.Equal(2, block.Tags.Count);
    }

    [Fact]
    public void Plan_2500Coils_SplitsAt2000Bits()
    {
        var tags = Enumerable.Range(0, 2500).Select(i => new ModbusTagConfig($"c{i}", ModbusRegisterArea.Coil, (ushort)i, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null)).ToList();

        var blocks = ReadPlanner.Plan(tags);

        Assert.Equal([(0, 2000), (2000, 500)], blocks.Select(b => ((int)b.Start, b.Count)));
        Assert.All(blocks, b => Assert.Equal(ModbusRegisterArea.Coil, b.Area));
    }

    [Fact]
    public void Plan_CoilsAndDiscreteInputsApart_SeparateReadsAndBitGap()
    {
        // A gap of 8 registers is 128 bits: coils 0 and 129 join (gap 128), 300 does not.
        List<ModbusTagConfig> tags =
        [
            new("a", ModbusRegisterArea.Coil, 0, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null),
            new("b", ModbusRegisterArea.Coil, 129, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null),
            new("c", ModbusRegisterArea.Coil, 300, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null),
            new("d", ModbusRegisterArea.DiscreteInput, 0, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null),
            new("e", ModbusRegisterArea.Holding, 0, ModbusDataType.String, ByteOrder.ABCD, 1, 0, null, Length: 10),
            new("f", ModbusRegisterArea.Holding, 12, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null),
        ];

        var blocks = ReadPlanner.Plan(tags);

        Assert.Equal(
            [(ModbusRegisterArea.Holding, 0, 13), (ModbusRegisterArea.Coil, 0, 130), (ModbusRegisterArea.Coil, 300, 1), (ModbusRegisterArea.DiscreteInput, 0, 1)],
            blocks.Select(b => (b.Area, (int)b.Start, b.Count)));
    }

    private static ModbusTagConfig Tag(string name, ushort address, ModbusDataType type, ModbusRegisterArea area = ModbusRegisterArea.Holding) =>
        new(name, area, address, type, ByteOrder.ABCD, 1, 0, null);
}
