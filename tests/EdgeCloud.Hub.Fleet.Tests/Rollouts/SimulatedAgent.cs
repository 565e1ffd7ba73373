using System.Collections.Concurrent;
using EdgeCloud.Hub.Fleet.Tests.TestSupport;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>How a simulated agent answers a rollout directive.</summary>
internal enum SimulatedOutcome
{
    /// <summary>Reports downloading then succeeded, and keeps producing points.</summary>
    Succeed,

    /// <summary>Reports failed with reason install_failed.</summary>
    FailInstall,

    /// <summary>Reports succeeded, then produces no more points (the health gate must catch it).</summary>
    StopProducing,

    /// <summary>Reports downloading, then nothing more while it stays connected (a hung install: the report timeout must catch it).</summary>
    Silent,
}

/// <summary>
/// A light agent for campaign tests: an enrolled <see cref="TestAgent"/> with one real mTLS sync stream that
/// sends an AgentHealth report at connect (the baseline), and answers each RolloutDirective as
/// <see cref="Decide"/> says, recording every directive it received.
/// </summary>
internal sealed class SimulatedAgent : IAsyncDisposable
{
    private readonly TestAgent _agent;
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<AgentMessage, HubMessage> _call;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ulong _points = 1000;

    private SimulatedAgent(TestAgent agent, GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, HubMessage> call, ConcurrentQueue<RolloutDirective> directives)
    {
        _agent = agent;
        _channel = channel;
        _call = call;
        Directives = directives;
        _loop = AnswerAsync();
    }

    public string AgentId => _agent.AgentId;

    /// <summary>Decides how to answer a directive (awaited when it arrives); succeed by default.</summary>
    public Func<SimulatedAgent, Task<SimulatedOutcome>> Decide { get; set; } = _ => Task.FromResult(SimulatedOutcome.Succeed);

    /// <summary>Every directive received, over this stream and the earlier ones of the same agent.</summary>
    public ConcurrentQueue<RolloutDirective> Directives { get; }

    public TestAgent Agent => _agent;

    /// <summary>Connects <paramref name="agent"/>; <paramref name="earlier"/> carries a previous stream's directives and answer over a reconnect.</summary>
    public static async Task<SimulatedAgent> ConnectAsync(TestAgent agent, SimulatedAgent? earlier = null)
    {
        var (channel, call) = await agent.ConnectAsync();
        await call.RequestStream.WriteAsync(new AgentMessage { Health = new AgentHealth { PointsProduced = 1000, PollErrors = 2 } });
        var simulated = new SimulatedAgent(agent, channel, call, earlier?.Directives ?? new ConcurrentQueue<RolloutDirective>());
        if (earlier is not null)
        {
            simulated.Decide = earlier.Decide;
        }

        return simulated;
    }

    private async Task AnswerAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(_stop.Token))
            {
                if (_call.ResponseStream.Current.Rollout is not { } directive)
                {
                    continue;
                }

                Directives.Enqueue(directive);
                await Progress(directive, "downloading", string.Empty);
                switch (await Decide(this))
                {
                    case SimulatedOutcome.FailInstall:
                        await Progress(directive, "failed", "install_failed");
                        break;
                    case SimulatedOutcome.StopProducing:
                        await Progress(directive, "succeeded", string.Empty);
                        break;
                    case SimulatedOutcome.Silent:
                        break;
                    default:
                        await Progress(directive, "succeeded", string.Empty);
                        _points += 500;
                        await _call.RequestStream.WriteAsync(new AgentMessage { Health = new AgentHealth { PointsProduced = _points, PollErrors = 2 } });
                        break;
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or RpcException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The test ended the stream.
        }
    }

    private Task Progress(RolloutDirective directive, string state, string reason) =>
        _call.RequestStream.WriteAsync(new AgentMessage
        {
            RolloutProgress = new RolloutProgress
            {
                CampaignId = directive.CampaignId,
                Artifact = directive.Artifact,
                State = state,
                Reason = reason,
                RunningVersion = state == "succeeded" ? directive.Version : "1.0.0",
                // As the real agent: only download reports speak of bytes.
                BytesDone = state == "downloading" ? directive.Size : 0,
                Percent = 100,
            },
        });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _call.Dispose();
        await _loop;
        _channel.Dispose();
        _stop.Dispose();
    }
}
