using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models.Loading;
using EdgeCloud.Edge.Models.Runtime;
using EdgeCloud.Edge.Models.Tests.Support;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Models.Tests.Runtime;

public sealed class ModelInputStateTests
{
    [Theory]
    [InlineData("regression")]
    [InlineData("anomaly")]
    public void TrySnapshot_FixtureTagValues_GiveNumpyRowAndOutputs(string model)
    {
        using var loader = new ModelLoader(new SiteTagCatalog(TestSite.Create()), new ModelsOptions());
        using var session = loader.Load(TrainedModels.CommittedFolder, model);
        foreach (var fixture in TrainedModels.CommittedFixtures().GetProperty(model).EnumerateArray())
        {
            var state = new ModelInputState(session.Manifest, 16, () => { });
            var slots = state.SlotTags.Select(t => t.Device + "/" + t.Tag).ToList();
            foreach (var tag in fixture.GetProperty("tags").EnumerateObject())
            {
                foreach (var value in tag.Value.EnumerateArray())
                {
                    Assert.True(state.Offer(slots.IndexOf(tag.Name), Point(value.GetDouble())));
                }
            }

            var row = new float[state.RowLength];
            Assert.True(state.TrySnapshot(row, out var uncertain));
            Assert.False(uncertain);
            var expectedRow = fixture.GetProperty("inputs").EnumerateObject().SelectMany(i => i.Value.EnumerateArray().Select(v => v.GetSingle())).ToArray();
            Assert.Equal(expectedRow.Length, row.Length);
            for (var i = 0; i < row.Length; i++)
            {
                Assert.Equal(expectedRow[i], row[i], 5);
            }

            session.Run(row, 1, session.Results);
            var want = fixture.GetProperty("outputs").GetProperty(session.Manifest.Outputs[0].Address).GetDouble();
            Assert.True(Math.Abs(session.Results[0] - want) <= 1e-5 + (1e-4 * Math.Abs(want)), $"{session.Results[0]} vs numpy {want}");
        }
    }

    [Fact]
    public void Offer_Wait_RunsOnlyOnFullGoodWindow()
    {
        var state = new ModelInputState(Manifest("wait", window: 3), 16, () => { });
        var row = new float[3];
        state.Offer(0, Point(1));
        state.Offer(0, Point(2));
        Assert.False(state.TrySnapshot(row, out _));

        state.Offer(0, Point(3));
        Assert.True(state.TrySnapshot(row, out _));
        Assert.Equal([1f, 2f, 3f], row);

        state.Offer(0, new DataPoint("test", "seq", DateTimeOffset.UnixEpoch, TagValue.None, PointQuality.BadTimeout));
        Assert.False(state.TrySnapshot(row, out _));

        state.Offer(0, Point(4));
        Assert.True(state.TrySnapshot(row, out _));
        Assert.Equal([2f, 3f, 4f], row);
    }

    [Fact]
    public void Offer_Hold_PadsWithOldestAndIgnoresBadPoints()
    {
        var state = new ModelInputState(Manifest("hold", window: 3), 16, () => { });
        var row = new float[3];
        state.Offer(0, Point(5));
        Assert.True(state.TrySnapshot(row, out var uncertain));
        Assert.True(uncertain);
        Assert.Equal([5f, 5f, 5f], row);

        state.Offer(0, Point(6));
        state.Offer(0, new DataPoint("test", "seq", DateTimeOffset.UnixEpoch, TagValue.None, PointQuality.Bad));
        Assert.True(state.TrySnapshot(row, out _));
        Assert.Equal([5f, 5f, 6f], row);
    }

    [Fact]
    public void Offer_Mean_StandsInTheCentreForBadPoints()
    {
        var state = new ModelInputState(Manifest("mean", window: 2, normalize: "\"normalize\": { \"mean\": 10, \"std\": 2 }"), 16, () => { });
        var row = new float[2];
        state.Offer(0, Point(14));
        Assert.True(state.TrySnapshot(row, out _));
        Assert.Equal([0f, 2f], row);

        state.Offer(0, new DataPoint("test", "seq", DateTimeOffset.UnixEpoch, TagValue.None, PointQuality.Bad));
        Assert.True(state.TrySnapshot(row, out var uncertain));
        Assert.True(uncertain);
        Assert.Equal([2f, 0f], row);
    }

    [Fact]
    public void Offer_OnChangeQueueFull_DropsNewestAndCounts()
    {
        var wakes = 0;
        var state = new ModelInputState(Manifest("wait", window: 1, onChange: true), 2, () => wakes++);
        for (var i = 1; i <= 5; i++)
        {
            state.Offer(0, Point(i));
        }

        var rows = new float[4];
        var count = state.Take(rows, new DateTimeOffset[4], new bool[4], 4);
        Assert.Equal(2, count);
        Assert.Equal([1f, 2f], rows[..2]);
        Assert.Equal(3, state.TakeDropped());
        Assert.Equal(1, wakes);
    }

    [Fact]
    public void Offer_AfterClose_IsRefused()
    {
        var state = new ModelInputState(Manifest("wait", window: 1, onChange: true), 2, () => { });
        state.Close();

        Assert.False(state.Offer(0, Point(1)));
    }

    private static DataPoint Point(double value) => new("test", "seq", DateTimeOffset.UnixEpoch, TagValue.FromNumber(value), PointQuality.Good);

    private static ModelManifest Manifest(string fill, int window, bool onChange = false, string normalize = "")
    {
        var json = $$"""
            { {{(onChange ? "\"runOnChange\": true" : "\"runIntervalMs\": 1000")}},
              "inputs": [ { "name": "x", "window": {{window}}, "fill": "{{fill}}", "features": [ { "tag": "test/seq" {{(normalize.Length > 0 ? "," + normalize : "")}} } ] } ],
              "outputs": [ { "name": "y", "tag": "model/y" } ] }
            """;
        var errors = new List<ConfigError>();
        return ConfigLoader.TryParseModelManifest("/m/t.model.json", json, errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
    }
}
