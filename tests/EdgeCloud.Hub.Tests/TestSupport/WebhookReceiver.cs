using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>
/// A real webhook receiver: Kestrel on a loopback address and a free port, recording every request it gets
/// (headers and body). <c>/redirect?to=URL</c> answers 302 to URL; <c>/stall</c> holds the request for
/// <see cref="StallFor"/> (or until the receiver stops) before answering; anything else answers 200.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Requests to /stall that have arrived and are still held.</summary>
    public int Stalled => _stalled;

    public TimeSpan StallFor { get; set; } = TimeSpan.FromSeconds(30);

    private int _stalled;

    public static async Task<WebhookReceiver> StartAsync(string ip = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Not the hub's appsettings.json beside the test binaries: its Kestrel endpoints are the hub's.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(ip), 0));
        var app = builder.Build();
        var server = app.Services.GetRequiredService<IServer>();
        WebhookReceiver? receiver = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            receiver!.Received.Enqueue(new ReceivedWebhook(
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));
            if (context.Request.Path == "/redirect")
            {
                context.Response.Redirect(context.Request.Query["to"]!);
                return;
            }

            if (context.Request.Path == "/stall")
            {
                Interlocked.Increment(ref receiver._stalled);
                try
                {
                    await Task.Delay(receiver.StallFor, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The receiver stops or the sender gave up.
                }
                finally
                {
                    Interlocked.Decrement(ref receiver._stalled);
                }
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        var address = new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.First());
        receiver = new WebhookReceiver(app, address);
        return receiver;
    }

    public Uri Url(string pathAndQuery) => new(Address, pathAndQuery);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
internal sealed record ReceivedWebhook(string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
