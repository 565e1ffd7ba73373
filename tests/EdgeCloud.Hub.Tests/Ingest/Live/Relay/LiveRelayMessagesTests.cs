using System.Text;
using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Hub.Ingest.Live.Relay;
using EdgeCloud.Hub.Storage.Alarms;
using EdgeCloud.Hub.Storage.Replicas;
using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Hub.Tests.Ingest.Live.Relay;

/// <summary>The relay's messages: under PostgreSQL's NOTIFY limit whatever the number of tags, and read back unchanged.</summary>
public sealed class LiveRelayMessagesTests
{
    [Fact]
    public void Values_ManyTags_SplitUnderTheBusLimit_AndReadBackWhole()
    {
        var values = Enumerable.Range(0, 2000)
            .Select(i => new LatestValue(new Point { Tag = $"plc{i % 7}/tag-{i:D5}", TimeUnixNano = 1_000_000UL + (ulong)i, Number = i + 0.5 }, Stored: i % 2 == 0))
            .ToList();

        var messages = LiveRelayMessages.Values("replica-a", "gw-1", values, out var skipped);

        Assert.Equal(0, skipped);
        Assert.True(messages.Count > 1, "2000 tags should need several messages");
        Assert.All(messages, m => Assert.True(
            Encoding.UTF8.GetByteCount(LiveRelayMessages.ValuesTopic) + 1 + Encoding.UTF8.GetByteCount(m) <= IReplicaBus.MaxPayloadBytes,
            $"a message of {Encoding.UTF8.GetByteCount(m)} bytes exceeds the bus limit"));
        var read = messages.SelectMany(m =>
        {
            Assert.True(LiveRelayMessages.TryReadValues(m, out var replica, out var agentId, out var points));
            Assert.Equal(("replica-a", "gw-1"), (replica, agentId));
            return points;
        }).ToList();
        Assert.Equal(values.Select(v => (v.Point, v.Stored)), read);
    }

    [Fact]
    public void Values_OnePointLargerThanAMessage_SkippedAndCounted_OthersSent()
    {
        var huge = new LatestValue(new Point { Tag = "plc/blob", TimeUnixNano = 1, Text = new string('x', 8000) }, Stored: true);
        var small = new LatestValue(new Point { Tag = "plc/t", TimeUnixNano = 1, Number = 3 }, Stored: false);

        var messages = LiveRelayMessages.Values("replica-a", "gw-1", [huge, small], out var skipped);

        Assert.Equal(1, skipped);
        Assert.True(LiveRelayMessages.TryReadValues(Assert.Single(messages), out _, out _, out var points));
        Assert.Equal([(small.Point, false)], points);
    }

    [Fact]
    public void Alarm_RoundTrip_KeepsAgentSequenceAndEvent()
    {
        var stored = new StoredAlarmEvent("gw-1", 42, new AlarmEvent { AlarmId = "a1", Kind = "raised", Message = "two\nlines", EventNumber = 7, Value = double.NaN });

        Assert.True(LiveRelayMessages.TryReadAlarm(LiveRelayMessages.Alarm("replica-a", stored), out var replica, out var read));
        Assert.Equal("replica-a", replica);
        Assert.Equal(stored, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("replica-a\ngw-1\nx-not-a-point")]
    [InlineData("replica-a")]
    [InlineData("replica-a\ngw-1\nl%%not-base64")]
    public void TryReadValues_Malformed_False(string payload) =>
        Assert.False(LiveRelayMessages.TryReadValues(payload, out _, out _, out _));

    [Fact]
    public void ApplyRelayed_LocalOnlyReaderSkipsIt_OtherReadersGetIt()
    {
        var latest = new LatestValues();
        using var relay = latest.Subscribe("gw-1", 10, localOnly: true);
        using var browser = latest.Subscribe("gw-1", 10);

        latest.ApplyRelayed("gw-1", [new Point { Tag = "plc/t", TimeUnixNano = 5, Number = 1 }], stored: true);

        Assert.Empty(relay.TakeChanges([]));
        Assert.Equal(1.0, Assert.Single(browser.TakeChanges([])).Point.Number);

        // What this replica ingests itself does reach the relay's reader (it is what the relay forwards).
        latest.ApplyStored("gw-1", [new Point { Tag = "plc/t", TimeUnixNano = 6, Number = 2 }]);
        Assert.Equal(2.0, Assert.Single(relay.TakeChanges([])).Point.Number);
    }
}
