using EdgeCloud.Proto;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>
/// The agent's end of one sync stream, driven step by step by a test. Every read has a deadline, so a hub
/// that does not answer fails the test instead of hanging it.
/// </summary>
internal sealed class AgentStream : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private AgentStream(AsyncDuplexStreamingCall<AgentMessage, HubMessage> call) => Call = call;

    public AsyncDuplexStreamingCall<AgentMessage, HubMessage> Call { get; }

    public Welcome Welcome { get; private set; } = new();

    /// <summary>Opens a stream, sends a valid Hello and reads the Welcome.</summary>
    public static async Task<AgentStream> ConnectAsync(FleetSync.FleetSyncClient client, string agentId)
    {
        var stream = Open(client);
        await stream.SendAsync(new AgentMessage { Hello = new Hello { AgentId = agentId, AgentVersion = "1.2.3", ProtocolVersion = SyncProtocol.Version } });
        var first = await stream.ReadAsync();
        Assert.Equal(HubMessage.BodyOneofCase.Welcome, first.BodyCase);
        stream.Welcome = first.Welcome;
        return stream;
    }

    /// <summary>Opens a stream and sends nothing yet.</summary>
    public static AgentStream Open(FleetSync.FleetSyncClient client) => new(client.Connect());

    public Task SendAsync(AgentMessage message) => Call.RequestStream.WriteAsync(message);

    /// <summary>Sends a batch and returns the sequence of the Ack that answers it.</summary>
    public async Task<ulong> SendBatchAsync(TelemetryBatch batch)
    {
        await SendAsync(new AgentMessage { Telemetry = batch });
        var answer = await ReadAsync();
        Assert.True(answer.BodyCase == HubMessage.BodyOneofCase.Ack, $"expected an Ack for batch {batch.Sequence}, got {answer}");
        return answer.Ack.Sequence;
    }

    /// <summary>The next hub message; fails when the stream ends first.</summary>
    public async Task<HubMessage> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        Assert.True(await Call.ResponseStream.MoveNext(timeout.Token), "the hub ended the stream");
        return Call.ResponseStream.Current;
    }

    /// <summary>Reads until the call ends and returns its final status, with any refusal seen on the way.</summary>
    public async Task<(Refusal? Refusal, Status Status)> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        Refusal? refusal = null;
        try
        {
            while (await Call.ResponseStream.MoveNext(timeout.Token))
            {
                refusal ??= Call.ResponseStream.Current.Refusal;
            }
        }
        catch (RpcException error)
        {
            return (refusal, error.Status);
        }

        return (refusal, Call.GetStatus());
    }

    public Task CompleteAsync() => Call.RequestStream.CompleteAsync();

    public void Dispose() => Call.Dispose();
}
