using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeCloud.Hub.Api.Live;

/// <summary>
/// Writes one server-sent event stream (text/event-stream: <c>event:</c> and <c>data:</c> lines, a blank line
/// after each event). Every write must complete within the write timeout: a client that stops reading fills
/// the socket, the write times out, and the connection is aborted, so a stalled browser costs one timeout,
/// never an unbounded buffer or a blocked producer.
/// </summary>
internal sealed class EventStreamWriter
{
    private static readonly byte[] Heartbeat = ": keepalive\n\n"u8.ToArray();

    private readonly HttpContext _http;
    private readonly JsonSerializerOptions _json;
    private readonly TimeSpan _writeTimeout;

    private EventStreamWriter(HttpContext http, JsonSerializerOptions json, TimeSpan writeTimeout)
    {
        _http = http;
        _json = json;
        _writeTimeout = writeTimeout;
    }

    /// <summary>True once a write did not complete in time; the connection is aborted then.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>Sends the response headers (status 200, no caching, no proxy buffering) and returns the writer.</summary>
    public static async Task<EventStreamWriter> StartAsync(HttpContext http, JsonSerializerOptions json, TimeSpan writeTimeout)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var writer = new EventStreamWriter(http, json, writeTimeout);
        await writer.WriteBytesAsync(Heartbeat, http.RequestAborted);
        return writer;
    }

    /// <summary>Writes one event whose data is <paramref name="payload"/> as JSON; false when the stream is over.</summary>
    public Task<bool> WriteAsync<T>(string eventName, T payload, CancellationToken cancellationToken)
    {
        // JSON has no raw line breaks outside strings, and inside strings they are escaped: one data line suffices.
        var json = JsonSerializer.Serialize(payload, _json);
        var text = $"event: {eventName}\ndata: {json}\n\n";
        return WriteBytesAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>Writes a comment line that keeps the connection alive; false when the stream is over.</summary>
    public Task<bool> WriteHeartbeatAsync(CancellationToken cancellationToken) => WriteBytesAsync(Heartbeat, cancellationToken);

    private async Task<bool> WriteBytesAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_writeTimeout);
        try
        {
            await _http.Response.Body.WriteAsync(bytes, deadline.Token);
            await _http.Response.Body.FlushAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            TimedOut = true;
            _http.Abort();
            return false;
        }
        catch (Exception error) when (error is OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
