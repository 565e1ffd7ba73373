using System.Net;
using System.Text;
using System.Text.Json;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Agent.Status;

/// <summary>
/// The local status endpoint on <see cref="StatusEndpointConfig.Listen"/> (loopback only):
/// <c>GET /metrics</c> (Prometheus text), <c>GET /healthz</c> (200, or 503 with the reason) and
/// <c>GET /status</c> (JSON <see cref="AgentStatusReport"/>). Served by the runtime's own
/// <see cref="HttpListener"/>: ASP.NET Core would add its shared framework to a self-contained
/// agent for three GET routes. Requests are answered one at a time, each bounded by
/// <see cref="RequestTimeout"/>, so a stuck client cannot hold the loop. The endpoint is
/// optional for the agent's real job: when its port cannot be bound the agent logs why and runs on.
/// </summary>
internal sealed partial class StatusEndpointService(
    AgentConfig config,
    PrometheusExporter exporter,
    AgentStatusReporter reporter,
    AgentMetrics metrics,
    ILogger<StatusEndpointService> logger) : BackgroundService
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    // Held so that the agent's own instruments exist from start, whether or not anyone scrapes.
    private readonly AgentMetrics _metrics = metrics;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config.Status.BaseUrl is not { } baseUrl)
        {
            LogDisabled(logger);
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add(baseUrl.ToString());
        try
        {
            listener.Start();
        }
        catch (HttpListenerException error)
        {
            LogCannotListen(logger, baseUrl, error.Message);
            return;
        }

        LogListening(logger, baseUrl);

        // Stopping the listener is what ends a pending GetContextAsync.
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception error) when (stoppingToken.IsCancellationRequested && error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(RequestTimeout);
            await ServeAsync(context, timeout.Token);
        }
    }

    private async Task ServeAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "/";
            if (!string.Equals(context.Request.HttpMethod, "GET", StringComparison.Ordinal))
            {
                response.Headers["Allow"] = "GET";
                await WriteAsync(response, 405, "text/plain; charset=utf-8", "only GET is served here\n", cancellationToken);
                return;
            }

            switch (path)
            {
                case "/metrics":
                    await WriteAsync(response, 200, PrometheusExporter.ContentType, exporter.Collect(), cancellationToken);
                    break;
                case "/healthz":
                    var health = await reporter.CheckHealthAsync(cancellationToken);
                    await WriteAsync(response, health.Healthy ? 200 : 503, "text/plain; charset=utf-8", health.Healthy ? "ok\n" : $"unhealthy: {health.Reason}\n", cancellationToken);
                    break;
                case "/status":
                    var report = await reporter.BuildAsync(cancellationToken);
                    await WriteAsync(response, 200, "application/json; charset=utf-8", JsonSerializer.Serialize(report, StatusJsonContext.Relaxed.AgentStatusReport), cancellationToken);
                    break;
                default:
                    await WriteAsync(response, 404, "text/plain; charset=utf-8", "not found; served here: /metrics, /healthz, /status\n", cancellationToken);
                    break;
            }
        }
        catch (Exception error) when (error is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or was too slow: nothing to answer, the next request is served.
            LogRequestFailed(logger, context.Request.Url?.AbsolutePath ?? "?", error.Message);
        }
        finally
        {
            response.Abort();
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, cancellationToken);
        response.Close();
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Status endpoint on {Url} (/metrics, /healthz, /status)")]
    private static partial void LogListening(ILogger logger, Uri url);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Status endpoint cannot listen on {Url}: {Reason}; the agent runs on without it (change \"status\".\"listen\" in agent.json)")]
    private static partial void LogCannotListen(ILogger logger, Uri url, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Status endpoint disabled in agent.json")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Status request {Path} not answered: {Reason}")]
    private static partial void LogRequestFailed(ILogger logger, string path, string reason);
}
