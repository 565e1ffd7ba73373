using System.Net;
using System.Text;
using System.Text.Json;
using EdgeCloud.Edge.Agent.Alarms;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Agent.Status;

/// <summary>
/// The local status endpoint on <see cref="StatusEndpointConfig.Listen"/> (loopback only):
/// <c>GET /metrics</c> (Prometheus text), <c>GET /healthz</c> (200, or 503 with the reason) and
/// <c>GET /status</c> (JSON <see cref="AgentStatusReport"/>), and the alarms: <c>GET /alarms</c>,
/// <c>POST /alarms/ack</c> and <c>POST /alarms/shelve</c> (a JSON object of string arguments, see
/// <see cref="AlarmOperations"/>), which answer only callers on this machine (loopback), whatever
/// address the endpoint listens on. Served by the runtime's own
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
    ILogger<StatusEndpointService> logger,
    AlarmOperations? alarms = null) : BackgroundService
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Largest request body read (alarm operations are a few short strings).</summary>
    private const int MaxBody = 16 * 1024;

    // Held so that the agent's own instruments exist from start, whether or not anyone scrapes.
    private readonly AgentMetrics _metrics = metrics;

    /// <summary>
    /// How a listener is started: <see cref="HttpListener.Start"/>. A seam for tests only, which make it throw
    /// the way the runtime's start race does (the race itself shows about once in hundreds of starts).
    /// </summary>
    internal Action<HttpListener> StartListener { get; init; } = static listener => listener.Start();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config.Status.BaseUrl is not { } baseUrl)
        {
            LogDisabled(logger);
            return;
        }

        using var listener = await StartAsync(baseUrl, stoppingToken);
        if (listener is null)
        {
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

    /// <summary>
    /// Starts a listener on <paramref name="baseUrl"/>, or logs why not and returns null. The runtime's managed
    /// listener can throw <see cref="ArgumentNullException"/> from <see cref="HttpListener.Start"/> when a client
    /// connects while it is being set up (dotnet/corefx#35191: its accept callback runs before its connection
    /// table exists) — a monitor polling /healthz at the agent's start is enough. That is retried with a fresh
    /// listener, after a collection releases the half-made one's socket.
    /// </summary>
    private async Task<HttpListener?> StartAsync(Uri baseUrl, CancellationToken stoppingToken)
    {
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var listener = new HttpListener();
            listener.Prefixes.Add(baseUrl.ToString());
            try
            {
                StartListener(listener);
                return listener;
            }
            catch (HttpListenerException error)
            {
                listener.Close();
                LogCannotListen(logger, baseUrl, error.Message);
                return null;
            }
            catch (ArgumentNullException error) when (attempt < Attempts)
            {
                listener.Close();
                LogStartRaced(logger, baseUrl, attempt, error.Message);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), stoppingToken);
            }
            catch (ArgumentNullException error)
            {
                listener.Close();
                LogCannotListen(logger, baseUrl, $"the listener failed to start {Attempts} times ({error.Message})");
                return null;
            }
        }
    }

    private async Task ServeAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "/";
            if (path.StartsWith("/alarms", StringComparison.Ordinal))
            {
                await ServeAlarmsAsync(context, path, cancellationToken);
                return;
            }

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
                    await WriteAsync(response, 404, "text/plain; charset=utf-8", "not found; served here: /metrics, /healthz, /status, /alarms\n", cancellationToken);
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

    private async Task ServeAlarmsAsync(HttpListenerContext context, string path, CancellationToken cancellationToken)
    {
        const string text = "text/plain; charset=utf-8";
        var response = context.Response;
        if (alarms is null)
        {
            await WriteAsync(response, 404, text, "this agent runs no rules, so it has no alarms\n", cancellationToken);
            return;
        }

        // Acknowledging and shelving are operator actions on this machine only; the hub has its own commands.
        if (context.Request.RemoteEndPoint is not { } remote || !IPAddress.IsLoopback(remote.Address))
        {
            await WriteAsync(response, 403, text, "alarms are served to this machine only (loopback)\n", cancellationToken);
            return;
        }

        var method = context.Request.HttpMethod;
        switch (path)
        {
            case "/alarms" when method == "GET":
                response.StatusCode = 200;
                response.ContentType = "application/json; charset=utf-8";
                var list = alarms.ListJson();
                response.ContentLength64 = list.Length;
                await response.OutputStream.WriteAsync(list, cancellationToken);
                response.Close();
                return;
            case "/alarms/ack" or "/alarms/shelve" when method == "POST":
                if (await ReadArgumentsAsync(context.Request, cancellationToken) is not { } arguments)
                {
                    await WriteAsync(response, 400, text, "the body must be a JSON object of strings, for example {\"alarmId\": \"...\", \"user\": \"olga\"}\n", cancellationToken);
                    return;
                }

                var result = path == "/alarms/ack" ? alarms.Acknowledge(arguments) : alarms.Shelve(arguments);
                LogAlarmOperation(logger, path, result.Succeeded, result.Message);
                await WriteAsync(response, result.Succeeded ? 200 : 409, text, result.Message + "\n", cancellationToken);
                return;
            default:
                response.Headers["Allow"] = path == "/alarms" ? "GET" : "POST";
                await WriteAsync(response, path is "/alarms" or "/alarms/ack" or "/alarms/shelve" ? 405 : 404, text, "served here: GET /alarms, POST /alarms/ack, POST /alarms/shelve\n", cancellationToken);
                return;
        }
    }

    private static async Task<Dictionary<string, string>?> ReadArgumentsAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength64 is < 0 or > MaxBody)
        {
            return null;
        }

        var buffer = new byte[request.ContentLength64];
        await request.InputStream.ReadExactlyAsync(buffer, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(buffer);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                arguments[property.Name] = property.Value.GetString()!;
            }

            return arguments;
        }
        catch (JsonException)
        {
            return null;
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

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Status endpoint on {Url}: a client connected while the listener started (attempt {Attempt}: {Reason}); starting it again")]
    private static partial void LogStartRaced(ILogger logger, Uri url, int attempt, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Status endpoint disabled in agent.json")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Local alarm operation {Path}: succeeded {Succeeded}: {Message}")]
    private static partial void LogAlarmOperation(ILogger logger, string path, bool succeeded, string message);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Status request {Path} not answered: {Reason}")]
    private static partial void LogRequestFailed(ILogger logger, string path, string reason);
}
