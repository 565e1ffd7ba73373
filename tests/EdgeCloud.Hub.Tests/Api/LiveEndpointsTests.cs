using System.Net;
using System.Text.Json;
using EdgeCloud.Hub.Ingest.Live;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Hub.Tests.Api;

/// <summary>The live streams (server-sent events) over a real hub on loopback, fed by a gRPC agent stream.</summary>
public sealed class LiveEndpointsTests
{
    [Fact]
    public async Task AgentLive_SnapshotThenChanges_CoalescedByTag()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path, null, "--Live:CoalesceMilliseconds=500");
        using var agent = await hub.ConnectAsync("gw-1");
        await agent.SendBatchAsync(Batches.Create(1, Batches.Number("plc/a", Batches.BaseNanos, 1)));

        await using var events = await EventStream.OpenAsync(hub.Http, "/api/v1/agents/gw-1/live");
        var snapshot = await events.NextAsync();
        Assert.Equal("values", snapshot.Name);
        Assert.Equal([("plc/a", 1.0)], Values(snapshot.Data));

        // Five changes of one tag and one of another inside the coalescing window: one value each, the newest.
        await agent.SendBatchAsync(Batches.Create(2, Batches.Number("plc/a", Batches.BaseNanos + 1, 2)));
        for (var i = 3; i <= 7; i++)
        {
            await agent.SendAsync(new AgentMessage { Live = new LiveSnapshot { Points = { Batches.Number("plc/a", Batches.BaseNanos + i, i) } } });
        }

        await agent.SendAsync(new AgentMessage { Live = new LiveSnapshot { Points = { Batches.Number("plc/b", Batches.BaseNanos + 7, 70) } } });
        var seen = new Dictionary<string, double>();
        while (!(seen.GetValueOrDefault("plc/a") == 7 && seen.ContainsKey("plc/b")))
        {
            var next = await events.NextAsync();
            Assert.Equal("values", next.Name);
            foreach (var (tag, value) in Values(next.Data))
            {
                seen[tag] = value;
            }
        }

        Assert.Equal(70, seen["plc/b"]);
    }

    [Fact]
    public async Task AgentLive_ClientFallsBehind_DroppedWhileIngestGoesOn()
    {
        using var data = new TempDirectory();

        // A long coalescing window and room for two tags: a burst of five tags overflows this client.
        await using var hub = await TestHub.StartAsync(data.Path, null, "--Live:CoalesceMilliseconds=3000", "--Live:MaxPendingTags=2");
        using var agent = await hub.ConnectAsync("gw-2");
        await agent.SendBatchAsync(Batches.Create(1, Batches.Number("plc/a", Batches.BaseNanos, 1)));
        await using var events = await EventStream.OpenAsync(hub.Http, "/api/v1/agents/gw-2/live");
        Assert.Equal("values", (await events.NextAsync()).Name);
        await agent.SendBatchAsync(Batches.Create(2, Batches.Number("plc/a", Batches.BaseNanos + 1, 2)));
        Assert.Equal("values", (await events.NextAsync()).Name);

        var burst = Batches.Create(3);
        for (var i = 0; i < 5; i++)
        {
            burst.Points.Add(Batches.Number($"plc/t{i}", Batches.BaseNanos + 2, i));
        }

        Assert.Equal(3UL, await agent.SendBatchAsync(burst));
        var dropped = await events.NextAsync();
        Assert.Equal("dropped", dropped.Name);
        Assert.Equal("overflow", dropped.Data.GetProperty("reason").GetString());
        Assert.True(await events.EndedAsync(), "the stream of a dropped client stays open");

        // Ingest went on and the hub forgot the reader.
        Assert.Equal(4UL, await agent.SendBatchAsync(Batches.Create(4, Batches.Number("plc/a", Batches.BaseNanos + 3, 4))));
        await Eventually.TrueAsync(() => Task.FromResult(hub.App.Services.GetRequiredService<LatestValues>().SubscriberCount == 0), "the dropped reader is unsubscribed");
        var metrics = await hub.Http.GetStringAsync("/metrics");
        Assert.Matches("(?m)^edgecloud_hub_live_dropped_total\\{[^}]*reason=\"overflow\"[^}]*\\} 1$", metrics);
    }

    [Fact]
    public async Task AgentLive_ClientStopsReading_DroppedAfterWriteTimeoutWhileIngestGoesOn()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path, null, "--Live:WriteTimeoutSeconds=1", "--Live:CoalesceMilliseconds=10");
        using var agent = await hub.ConnectAsync("gw-5");
        await agent.SendBatchAsync(Batches.Create(1, Batches.Number("plc/a", Batches.BaseNanos, 1)));

        // A browser that stopped reading: a raw connection with a tiny receive window that never reads a byte.
        using var stalled = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(hub.ApiUri.Host, hub.ApiUri.Port);
        await stalled.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET /api/v1/agents/gw-5/live HTTP/1.1\r\nHost: {hub.ApiUri.Authority}\r\n\r\n"));
        var latest = hub.App.Services.GetRequiredService<LatestValues>();
        await Eventually.TrueAsync(() => Task.FromResult(latest.SubscriberCount == 1), "the stalled client follows the agent");

        // Every batch changes 2,000 tags (about 200 KB per event): the socket's buffers fill, a write times out.
        var sequence = 1UL;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (latest.SubscriberCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the stalled client was never dropped");
            sequence++;
            var batch = Batches.Create(sequence);
            for (var i = 0; i < 2000; i++)
            {
                batch.Points.Add(Batches.Number($"plc/a-rather-long-tag-name-to-fill-buffers-{i:D4}", Batches.BaseNanos + (long)sequence, sequence));
            }

            Assert.Equal(sequence, await agent.SendBatchAsync(batch));
        }

        Assert.Equal(sequence + 1, await agent.SendBatchAsync(Batches.Create(sequence + 1, Batches.Number("plc/a", Batches.BaseNanos + 1_000_000, 2))));
        Assert.Matches("(?m)^edgecloud_hub_live_dropped_total\\{[^}]*reason=\"write_timeout\"[^}]*\\} 1$", await hub.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task AgentLive_UnknownOrInvalidAgent_ProblemNotStream()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path);

        using var unknown = await hub.Http.GetAsync("/api/v1/agents/nobody/live");
        using var invalid = await hub.Http.GetAsync("/api/v1/agents/bad%20id/live");
        using var badFilter = await hub.Http.GetAsync("/api/v1/alarm-events/stream?agent=bad%20id");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nobody", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("agentId", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Contains("agent", await badFilter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlarmStream_StoredAlarmEvents_PushedWithTheirAgentAndFilteredByAgent()
    {
        using var data = new TempDirectory();
        await using var hub = await TestHub.StartAsync(data.Path);
        using var gw3 = await hub.ConnectAsync("gw-3");
        using var gw4 = await hub.ConnectAsync("gw-4");
        await using var all = await EventStream.OpenAsync(hub.Http, "/api/v1/alarm-events/stream");
        await using var onlyGw4 = await EventStream.OpenAsync(hub.Http, "/api/v1/alarm-events/stream?agent=gw-4");
        var feed = hub.App.Services.GetRequiredService<AlarmEventFeed>();
        await Eventually.TrueAsync(() => Task.FromResult(feed.Count == 2), "both clients follow the feed");

        await gw3.SendBatchAsync(AlarmBatch(1, "gw3-a1", "raised", 1));
        await gw4.SendBatchAsync(AlarmBatch(1, "gw4-a1", "raised", 1));
        await gw4.SendBatchAsync(AlarmBatch(1, "gw4-a1", "raised", 1)); // a duplicate batch: stored once, pushed once
        await gw4.SendBatchAsync(AlarmBatch(2, "gw4-a1", "cleared", 2));

        var first = await all.NextAsync();
        var second = await all.NextAsync();
        var third = await all.NextAsync();
        Assert.Equal("alarm", first.Name);
        Assert.Equal(
            [("gw-3", "gw3-a1", "raised"), ("gw-4", "gw4-a1", "raised"), ("gw-4", "gw4-a1", "cleared")],
            new[] { first, second, third }.Select(e => (e.Data.GetProperty("agentId").GetString(), e.Data.GetProperty("alarmId").GetString(), e.Data.GetProperty("kind").GetString())));
        Assert.Equal(800u, first.Data.GetProperty("severity").GetUInt32());
        Assert.Equal(["raised", "cleared"], new[] { await onlyGw4.NextAsync(), await onlyGw4.NextAsync() }.Select(e => e.Data.GetProperty("kind").GetString()));
    }

    private static TelemetryBatch AlarmBatch(ulong sequence, string alarmId, string kind, ulong eventNumber) =>
        AlarmEvents.Batch(sequence, AlarmEvents.Create(
            alarmId, "plc/t", kind, kind == "raised" ? "active" : "cleared", 800, eventNumber, Batches.BaseNanos + (long)eventNumber));

    private static List<(string Tag, double Value)> Values(JsonElement data) =>
        [.. data.EnumerateArray().Select(v => (v.GetProperty("tag").GetString()!, v.GetProperty("value").GetDouble()))];

    /// <summary>A text/event-stream response read event by event, each read with a deadline.</summary>
    private sealed class EventStream : IAsyncDisposable
    {
        private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private EventStream(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public static async Task<EventStream> OpenAsync(HttpClient http, string path)
        {
            var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        public async Task<(string Name, JsonElement Data)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            string? name = null;
            string? data = null;
            while (await _reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
                else if (line.Length == 0 && name is not null && data is not null)
                {
                    return (name, JsonDocument.Parse(data).RootElement.Clone());
                }
            }

            throw new InvalidOperationException($"the event stream ended (last event name {name})");
        }

        /// <summary>True when the server ends the stream within the read timeout (comments aside).</summary>
        public async Task<bool> EndedAsync()
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            try
            {
                while (await _reader.ReadLineAsync(timeout.Token) is { } line)
                {
                    if (line.Length > 0 && !line.StartsWith(':'))
                    {
                        return false;
                    }
                }

                return true;
            }
            catch (IOException)
            {
                return true;
            }
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
