using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Hub.Ingest.Live.Relay;
using EdgeCloud.Hub.Storage;
using EdgeCloud.Hub.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Hub.Fleet.Tests.Replicas;

/// <summary>Live updates across replicas: the agent streams to A, the browser's server-sent events come from B.</summary>
public sealed partial class TwoReplicaFleetTests
{
    [Fact]
    public async Task Live_AgentStreamsToA_SseClientsOnBGetValuesAndAlarm_AStopsForwardingOnceTheyLeave()
    {
        using var agent = await _a.EnrollAsync("gw-1");
        var (channel, call) = await agent.ConnectAsync();
        using (channel)
        using (call)
        {
            await SendAsync(call, new TelemetryBatch { Sequence = 1, Points = { new Point { Tag = "plc/before-b", TimeUnixNano = (ulong)UnixNanos.From(DateTimeOffset.UtcNow), Number = 1.5 } } });
            var relayA = _a.App.Services.GetRequiredService<LiveRelay>();
            Assert.Equal(0, relayA.ForwardingCount);

            using var live = await _b.Admin.GetAsync("/api/v1/agents/gw-1/live", HttpCompletionOption.ResponseHeadersRead);
            using var alarms = await _b.Admin.GetAsync("/api/v1/alarm-events/stream", HttpCompletionOption.ResponseHeadersRead);
            using var liveReader = new StreamReader(await live.Content.ReadAsStreamAsync());
            using var alarmReader = new StreamReader(await alarms.Content.ReadAsStreamAsync());
            await Eventually.TrueAsync(() => Task.FromResult(relayA.ForwardingCount == 2), "replica A to forward gw-1's values and the alarm events to B");

            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                // B's client starts from the value A had before it came (A sends its snapshot to a new follower).
                await SseReader.ReadUntilAsync(liveReader, "plc/before-b", timeout.Token);
                await SendAsync(call, new TelemetryBatch { Sequence = 2, Points = { Point(4242.5) } });
                await SseReader.ReadUntilAsync(liveReader, "4242.5", timeout.Token);
            }

            var raised = AlarmEvents.Batch(3, AlarmEvents.Create(
                "overheat-relayed", "plc/t", "raised", "active", 700, eventNumber: 1, UnixNanos.From(DateTimeOffset.UtcNow), "too hot"));
            await SendAsync(call, raised);
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                var seen = await SseReader.ReadUntilAsync(alarmReader, "overheat-relayed", timeout.Token);
                Assert.Contains("\"agentId\":\"gw-1\"", seen, StringComparison.Ordinal);
            }

            // The browser leaves B: B releases its interest, A stops forwarding and sends nothing more.
            liveReader.Dispose();
            alarmReader.Dispose();
            live.Dispose();
            alarms.Dispose();
            await Eventually.TrueAsync(() => Task.FromResult(relayA.ForwardingCount == 0), "replica A to stop forwarding once B's clients left");
            var forwarded = relayA.ForwardedMessages;
            await SendAsync(call, new TelemetryBatch { Sequence = 4, Points = { Point(7.25) } });

            // Several forward intervals (200 ms here) pass with a new value on A and nobody on B.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(forwarded, relayA.ForwardedMessages);
        }
    }

    private static Point Point(double value) => new() { Tag = "plc/t", TimeUnixNano = (ulong)UnixNanos.From(DateTimeOffset.UtcNow), Number = value };

    private static async Task SendAsync(Grpc.Core.AsyncDuplexStreamingCall<AgentMessage, HubMessage> call, TelemetryBatch batch)
    {
        await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = batch });
        Assert.Equal(batch.Sequence, (await TestAgent.ReadAsync(call)).Ack.Sequence);
    }
}
