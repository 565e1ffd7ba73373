using System.Diagnostics;
using EdgeCloud.Proto;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeCloud.LoadTool;

/// <summary>
/// Many concurrently connected agents on one hub: the hub runs as its own process (cloud-hub.dll from this tool's
/// folder), so its memory is measured alone; light clients here each open a sync stream (hello, welcome, one
/// stored batch, a health report) and then stay connected and idle. The figure is the hub's resident memory and
/// managed heap after the streams are open, minus the same before, per stream.
/// </summary>
internal static class StreamsRun
{
    private const int ConnectConcurrency = 64;

    public static async Task RunAsync(int agents, int perConnection)
    {
        using var hub = await HubProcess.StartAsync("streams");
        var channels = new List<GrpcChannel>();
        var calls = new List<AsyncDuplexStreamingCall<AgentMessage, HubMessage>>();
        try
        {
            var syncUri = hub.SyncUri;
            Console.WriteLine($"streams: {agents:N0} agents, {perConnection} stream(s) per HTTP/2 connection, hub pid {hub.Process.Id} (its own process)");

            // Warm-up: one agent through the whole path, so that code paths and pools exist before the baseline.
            var warm = GrpcChannel.ForAddress(syncUri);
            channels.Add(warm);
            calls.Add(await OpenAsync(warm, "warm-up"));
            var before = await MeasureAsync(hub);
            Console.WriteLine($"before: hub RSS {Mib(before.Rss)}, managed heap {Mib(before.Heap)}, connected {before.Connected}");

            var watch = Stopwatch.StartNew();
            var opened = new AsyncDuplexStreamingCall<AgentMessage, HubMessage>[agents];
            var channelFor = new GrpcChannel[(agents + perConnection - 1) / perConnection];
            for (var c = 0; c < channelFor.Length; c++)
            {
                channelFor[c] = GrpcChannel.ForAddress(syncUri, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
                });
            }

            channels.AddRange(channelFor);
            using (var slots = new SemaphoreSlim(ConnectConcurrency))
            {
                await Task.WhenAll(Enumerable.Range(0, agents).Select(async i =>
                {
                    await slots.WaitAsync();
                    try
                    {
                        opened[i] = await OpenAsync(channelFor[i / perConnection], $"light-{i:D5}");
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
            }

            calls.AddRange(opened);
            Console.WriteLine($"opened: {agents:N0} streams in {watch.Elapsed.TotalSeconds:F1} s (each: hello, welcome, one stored batch acknowledged, a health report)");
            await Task.Delay(TimeSpan.FromSeconds(5));
            var after = await MeasureAsync(hub);
            Console.WriteLine($"after:  hub RSS {Mib(after.Rss)}, managed heap {Mib(after.Heap)}, connected {after.Connected}");
            Console.WriteLine(
                $"per stream: {(after.Rss - before.Rss) / (double)agents / 1024:F1} KiB resident, {(after.Heap - before.Heap) / (double)agents / 1024:F1} KiB managed heap " +
                $"(hub process, {agents:N0} idle streams); load tool itself: {Mib(Environment.WorkingSet)} RSS");
        }
        finally
        {
            foreach (var call in calls)
            {
                call?.Dispose();
            }

            foreach (var channel in channels)
            {
                channel.Dispose();
            }

        }
    }

    private static async Task<AsyncDuplexStreamingCall<AgentMessage, HubMessage>> OpenAsync(GrpcChannel channel, string agent)
    {
        var call = new FleetSync.FleetSyncClient(channel).Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { AgentId = agent, ProtocolVersion = SyncProtocol.Version, AgentVersion = "light" } });
        await ExpectAsync(call, HubMessage.BodyOneofCase.Welcome, agent);
        await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = FleetLoad.MakeBatch(agent, 1, 10, 0) });
        await ExpectAsync(call, HubMessage.BodyOneofCase.Ack, agent);
        await call.RequestStream.WriteAsync(new AgentMessage { Health = new AgentHealth { OutboxBatches = 1, ClockSynchronized = true } });
        return call;
    }

    private static async Task ExpectAsync(AsyncDuplexStreamingCall<AgentMessage, HubMessage> call, HubMessage.BodyOneofCase expected, string agent)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (!await call.ResponseStream.MoveNext(timeout.Token) || call.ResponseStream.Current.BodyCase != expected)
        {
            throw new InvalidOperationException($"{agent}: expected {expected} from the hub");
        }
    }

    private static async Task<(long Rss, long Heap, long Connected)> MeasureAsync(HubProcess hub)
    {
        var text = await hub.MetricsAsync();
        var connected = (long)HubProcess.Sum(text, "edgecloud_hub_agents_connected");
        var heap = (long)HubProcess.Sum(text, "dotnet_gc_last_collection_heap_size_bytes");
        return (Processes.Memory(hub.Process).Rss, heap, connected);
    }

    private static string Mib(long bytes) => Processes.Mib(bytes);
}
