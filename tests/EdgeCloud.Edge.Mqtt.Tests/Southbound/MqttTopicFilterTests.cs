using EdgeCloud.Edge.Mqtt.Southbound;

namespace EdgeCloud.Edge.Mqtt.Tests.Southbound;

public sealed class MqttTopicFilterTests
{
    [Theory]
    [InlineData("a/b/c", "a/b/c", true)]
    [InlineData("a/+/c", "a/x/c", true)]
    [InlineData("a/+/c", "a/x/y/c", false)]
    [InlineData("a/+", "a/", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("#", "a/b", true)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/x", "$SYS/x", false)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("spBv1.0/G/+/N/+", "spBv1.0/G/DDATA/N/D1", true)]
    [InlineData("spBv1.0/G/+/N", "spBv1.0/G/DDATA/N/D1", false)]
    public void IsMatch_Filters_FollowMqtt5(string filter, string topic, bool expected) =>
        Assert.Equal(expected, new MqttTopicFilter(filter).IsMatch(topic));
}
