using EdgeCloud.Edge.Mqtt.Northbound;

namespace EdgeCloud.Edge.Mqtt.Tests.Northbound;

public sealed class TagGlobTests
{
    [Theory]
    [InlineData("*/*", "line1", "temp", true)]
    [InlineData("line1/*", "line1", "temp", true)]
    [InlineData("line1/*", "line2", "temp", false)]
    [InlineData("*/temp*", "line2", "temp_in", true)]
    [InlineData("*/temp*", "line2", "pressure", false)]
    [InlineData("line?/t*p", "line3", "tap", true)]
    [InlineData("line?/t*p", "line33", "tap", false)]
    [InlineData("*/*a*b*", "d", "xxaxxbxx", true)]
    [InlineData("*/*a*b", "d", "xxaxxbxx", false)]
    public void IsMatch_Patterns_MatchDeviceAndTag(string pattern, string device, string tag, bool expected) =>
        Assert.Equal(expected, new TagGlob(pattern).IsMatch(device, tag));

    [Fact]
    public void Format_Template_FillsEveryField() =>
        Assert.Equal("site/gw-01/line1/temp/v", new TopicTemplate("site/{agent}/{device}/{tag}/v").Format("gw-01", "line1", "temp"));
}
