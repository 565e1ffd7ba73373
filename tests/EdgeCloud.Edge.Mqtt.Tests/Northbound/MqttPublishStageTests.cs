using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Northbound;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Mqtt.Tests.Northbound;

public sealed class MqttPublishStageTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static MqttPublishConfig Config(int capacity, params MqttRouteConfig[] routes) =>
        new(new MqttConnectionConfig("127.0.0.1", 1883, "p", null, null, null, true, TimeSpan.Zero, TimeSpan.FromSeconds(30)), capacity, routes);

    [Fact]
    public void Process_QueueFull_DropsOldestAndCountsEveryDrop()
    {
        var metrics = TestMeters.NewMetrics();
        var stage = new MqttPublishStage(Config(16, new MqttRouteConfig("*/*", "t/{tag}", 0, false)), metrics);

        for (var i = 0; i < 20; i++)
        {
            stage.Process(new DataPoint("d", $"t{i}", At, TagValue.FromInteger(i), PointQuality.Good), []);
        }

        Assert.Equal(4, metrics.Dropped);
        var left = new List<string>();
        while (stage.Queue.TryRead(out var item))
        {
            left.Add(item.Point.Tag);
        }

        Assert.Equal(Enumerable.Range(4, 16).Select(i => $"t{i}"), left);
    }

    [Fact]
    public void Process_SeveralRoutes_QueuesOneMessagePerMatchingRoute()
    {
        var stage = new MqttPublishStage(
            Config(100, new MqttRouteConfig("line1/*", "a/{tag}", 0, false), new MqttRouteConfig("*/temp", "b/{device}", 1, true), new MqttRouteConfig("x/*", "c", 0, false)),
            TestMeters.NewMetrics());

        stage.Process(new DataPoint("line1", "temp", At, TagValue.FromNumber(1), PointQuality.Good), []);
        stage.Process(new DataPoint("line2", "temp", At, TagValue.FromNumber(2), PointQuality.Good), []);
        stage.Process(new DataPoint("line2", "flow", At, TagValue.FromNumber(3), PointQuality.Good), []);

        var queued = new List<(string, int)>();
        while (stage.Queue.TryRead(out var item))
        {
            queued.Add((item.Point.Address, item.Route));
        }

        Assert.Equal([("line1/temp", 0), ("line1/temp", 1), ("line2/temp", 1)], queued);
    }

    [Fact]
    public void Process_NoPublishConfig_QueuesNothing()
    {
        var stage = new MqttPublishStage(null, TestMeters.NewMetrics());

        stage.Process(new DataPoint("d", "t", At, TagValue.FromNumber(1), PointQuality.Good), []);

        Assert.False(stage.Queue.TryRead(out _));
    }
}
