using EdgeCloud.Proto;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Net.Client;

namespace EdgeCloud.LoadTool;

/// <summary>Simulated agents speaking the sync contract exactly as edge-agent does (hello, batches, acks).</summary>
internal static class FleetLoad
{
    private static readonly ulong Start = (ulong)DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() * 1_000_000UL;

    /// <summary>Batch <paramref name="sequence"/> of an agent: 50 tags, one point each per 10 ms of source time.</summary>
    public static TelemetryBatch MakeBatch(string agent, ulong sequence, int points, int salt)
    {
        var batch = new TelemetryBatch { Sequence = sequence };
        var baseTime = Start + ((sequence - 1) * (ulong)points * 10_000_000UL) + (ulong)salt;
        for (var i = 0; i < points; i++)
        {
            batch.Points.Add(new Point { Tag = $"plc{i % 5}/tag{i % 50}", TimeUnixNano = baseTime + ((ulong)i * 10_000_000UL), Number = i * 0.25, Quality = Quality.Good });
        }

        return batch;
    }

    public static async Task StreamAsync(Uri hub, string agent, int batches, int points, int salt, int window)
    {
        using var channel = GrpcChannel.ForAddress(hub);
        var client = new FleetSync.FleetSyncClient(channel);
        using var call = client.Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { AgentId = agent, ProtocolVersion = SyncProtocol.Version, AgentVersion = "load" } });
        if (!await call.ResponseStream.MoveNext(CancellationToken.None) || call.ResponseStream.Current.BodyCase != HubMessage.BodyOneofCase.Welcome)
        {
            throw new InvalidOperationException($"{agent}: no welcome");
        }

        using var slots = new SemaphoreSlim(window, window);
        var acks = Task.Run(async () =>
        {
            ulong acked = 0;
            while (acked < (ulong)batches && await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (call.ResponseStream.Current.BodyCase == HubMessage.BodyOneofCase.Ack)
                {
                    var sequence = call.ResponseStream.Current.Ack.Sequence;
                    slots.Release((int)(sequence - acked));
                    acked = sequence;
                }
            }
        });

        for (var b = 1; b <= batches; b++)
        {
            await slots.WaitAsync();
            await call.RequestStream.WriteAsync(new AgentMessage { Telemetry = MakeBatch(agent, (ulong)b, points, salt) });
        }

        await acks;
        await call.RequestStream.CompleteAsync();
    }
}
