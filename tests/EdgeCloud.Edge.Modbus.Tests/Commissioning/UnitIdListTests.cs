using EdgeCloud.Edge.Modbus.Commissioning;

namespace EdgeCloud.Edge.Modbus.Tests.Commissioning;

public sealed class UnitIdListTests
{
    [Theory]
    [InlineData("1-4", new byte[] { 1, 2, 3, 4 })]
    [InlineData("7", new byte[] { 7 })]
    [InlineData(" 1, 3-4 ,250-255", new byte[] { 1, 3, 4, 250, 251, 252, 253, 254, 255 })]
    public void Parse_ListsAndRanges_UnitIdsInOrder(string text, byte[] expected)
    {
        Assert.Equal(expected, UnitIdList.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4-1")]
    [InlineData("1-300")]
    [InlineData("1-2-3")]
    [InlineData("a")]
    [InlineData("1,,2")]
    [InlineData("-1")]
    public void Parse_NotAUnitList_Null(string text)
    {
        Assert.Null(UnitIdList.Parse(text));
    }
}
