using System.Net;

namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// The agent's local status endpoint (<c>/metrics</c>, <c>/healthz</c>, <c>/status</c>): agent.json's
/// optional <c>"status": { "listen": "127.0.0.1:9464" }</c>. Invariant: <see cref="Listen"/> is a
/// loopback address (the endpoint has no authentication) or null when the endpoint is off.
/// </summary>
/// <param name="Listen">Where to listen; null when disabled (<c>"listen": null</c> or <c>"off"</c>).</param>
public sealed record StatusEndpointConfig(IPEndPoint? Listen)
{
    /// <summary>The default port: the one OpenTelemetry's Prometheus exporters listen on, so scrape configs written for them fit.</summary>
    public const int DefaultPort = 9464;

    /// <summary>On, at 127.0.0.1:9464: what an agent gets without a "status" section.</summary>
    public static StatusEndpointConfig Default { get; } = new(new IPEndPoint(IPAddress.Loopback, DefaultPort));

    /// <summary>The endpoint's base URL (for example <c>http://127.0.0.1:9464/</c>), or null when disabled.</summary>
    public Uri? BaseUrl => Listen is null ? null : new Uri($"http://{Listen}/");
}
