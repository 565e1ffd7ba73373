using System.Collections.Concurrent;
using System.Net;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Updates.Tests.Fixtures;

/// <summary>
/// A real Kestrel on loopback (HTTP/2 cleartext, like the hub's h2c sync endpoint) that plays the hub's side of a
/// rollout while the hub's campaigns are built elsewhere:
/// <list type="bullet">
/// <item><c>GET /api/v1/agent/artifacts/{id}/content</c> imitates the hub's artifact route (Range → 206), and can
/// misbehave as a real server or link can: drop the connection after some bytes, trickle, send more than declared,
/// pace its bytes so that a test can kill the agent in the middle.</item>
/// <item>FleetSync.Connect imitates the hub's campaign side over the real sync protocol: Welcome, then the
/// configured RolloutDirective on every session, acknowledgements of every batch, and a record of every
/// RolloutProgress.</item>
/// </list>
/// </summary>
internal sealed class HubPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HubPeer(WebApplication app, Uri url, HubScript script)
    {
        _app = app;
        Url = url;
        Script = script;
    }

    public Uri Url { get; }

    /// <summary>What the peer serves and sends; change it between sessions.</summary>
    public HubScript Script { get; }

    public static async Task<HubPeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var script = new HubScript();
        builder.Services.AddSingleton(script);
        var app = builder.Build();
        app.MapGrpcService<FakeFleetSync>();
        app.MapGet("/api/v1/agent/artifacts/{id}/content", (HttpContext context, string id) => ServeAsync(context, id, script));
        await app.StartAsync();
        var address = app.Urls.First();
        return new HubPeer(app, new Uri(address), script);
    }

    private static async Task ServeAsync(HttpContext context, string id, HubScript script)
    {
        if (context.Request.Headers["X-Agent-Id"].ToString() != "rollout-gw")
        {
            // As the hub in InsecureDevelopment mode: the agent names itself, or is refused.
            context.Response.StatusCode = 403;
            return;
        }

        if (!script.Artifacts.TryGetValue(id, out var served))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var range = context.Request.Headers.Range.ToString();
        script.Requests.Enqueue($"{id} {range}");
        var offset = 0L;
        if (range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            offset = long.Parse(range["bytes=".Length..].TrimEnd('-').Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = served.Bytes;
        if (offset > 0)
        {
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {offset}-{body.Length - 1}/{body.Length}";
        }

        var stopAt = Interlocked.Exchange(ref served.AbortOnceAfter, -1);
        var ct = context.RequestAborted;
        try
        {
            if (served.Trickle)
            {
                // One byte a second: alive, but far below any useful rate.
                for (var at = offset; at < body.Length; at++)
                {
                    await context.Response.Body.WriteAsync(body.AsMemory((int)at, 1), ct);
                    await context.Response.Body.FlushAsync(ct);
                    await Task.Delay(1000, ct);
                }

                return;
            }

            const int Piece = 16 * 1024;
            for (var at = offset; at < body.Length; at += Piece)
            {
                var length = (int)Math.Min(Piece, body.Length - at);
                if (stopAt >= 0 && at + length > stopAt)
                {
                    await context.Response.Body.WriteAsync(body.AsMemory((int)at, (int)(stopAt - at)), ct);
                    await context.Response.Body.FlushAsync(ct);
                    // Let the bytes reach the agent before the reset (an HTTP/2 RST_STREAM discards what is still in flight).
                    await Task.Delay(300, ct);
                    context.Abort();
                    return;
                }

                await context.Response.Body.WriteAsync(body.AsMemory((int)at, length), ct);
                await context.Response.Body.FlushAsync(ct);
                if (served.PieceDelay > TimeSpan.Zero)
                {
                    await Task.Delay(served.PieceDelay, ct);
                }
            }

            if (served.ExtraBytes > 0)
            {
                await context.Response.Body.WriteAsync(new byte[served.ExtraBytes], ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The agent went away (killed, or it cut the transfer off).
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    /// <summary>The FleetSync service: imitates the hub's sessions and its campaign's directive.</summary>
    private sealed class FakeFleetSync(HubScript script) : FleetSync.FleetSyncBase
    {
        public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<HubMessage> responseStream, ServerCallContext context)
        {
            if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.BodyCase != AgentMessage.BodyOneofCase.Hello)
            {
                return;
            }

            var hello = requestStream.Current.Hello;
            await responseStream.WriteAsync(new HubMessage { Welcome = new Welcome { HubVersion = "test-peer", ProtocolVersion = hello.ProtocolVersion } });
            if (script.Directive is { } directive)
            {
                await responseStream.WriteAsync(new HubMessage { Rollout = directive });
            }

            while (await requestStream.MoveNext(context.CancellationToken))
            {
                var message = requestStream.Current;
                switch (message.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Telemetry:
                        await responseStream.WriteAsync(new HubMessage { Ack = new Ack { Sequence = message.Telemetry.Sequence } });
                        break;
                    case AgentMessage.BodyOneofCase.RolloutProgress:
                        script.Progress.Enqueue(message.RolloutProgress);
                        break;
                }
            }
        }
    }
}

/// <summary>What a <see cref="HubPeer"/> serves, sends and saw.</summary>
internal sealed class HubScript
{
    private volatile RolloutDirective? _directive;

    public ConcurrentDictionary<string, ServedArtifact> Artifacts { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<RolloutProgress> Progress { get; } = new();

    /// <summary>Sent after the Welcome of every session (null: none).</summary>
    public RolloutDirective? Directive
    {
        get => _directive;
        set => _directive = value;
    }

    /// <summary>The states reported for <paramref name="campaign"/>, in order.</summary>
    public List<RolloutProgress> For(string campaign) => [.. Progress.Where(p => p.CampaignId == campaign)];
}

/// <summary>One artifact and how the peer misbehaves while serving it.</summary>
internal sealed class ServedArtifact(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    /// <summary>Drop the connection after this many bytes of the file, once (-1: never).</summary>
    public long AbortOnceAfter = -1;

    /// <summary>Send one byte a second.</summary>
    public bool Trickle { get; init; }

    /// <summary>Send this many bytes more than the file.</summary>
    public int ExtraBytes { get; init; }

    /// <summary>Pause after each 16 KiB piece.</summary>
    public TimeSpan PieceDelay { get; init; }
}
