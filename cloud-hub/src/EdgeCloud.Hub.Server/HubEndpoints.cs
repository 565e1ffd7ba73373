using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EdgeCloud.Hub.Server;

/// <summary>
/// The addresses the hub actually listens on, known once the app has started (ports configured as 0 are
/// resolved then). <see cref="Api"/> serves REST over HTTP/1.1; <see cref="Sync"/> serves the agents' gRPC
/// over HTTP/2. Thread-safe.
/// </summary>
public sealed class HubEndpoints
{
    private readonly IServer _server;
    private readonly KestrelListeners _listeners;

    internal HubEndpoints(IServer server, KestrelListeners listeners)
    {
        _server = server;
        _listeners = listeners;
    }

    /// <summary>The first endpoint that speaks HTTP/1.1 (REST, health, the root page).</summary>
    public Uri Api => Find((_, protocols) => protocols.HasFlag(HttpProtocols.Http1), "HTTP/1.1 (API)");

    /// <summary>
    /// The first endpoint an agent can reach over gRPC: TLS with HTTP/2, or cleartext with HTTP/2 only
    /// (Kestrel speaks cleartext HTTP/2 only on an HTTP/2-only endpoint; see <see cref="HubApplication"/>).
    /// </summary>
    public Uri Sync => Find(
        (address, protocols) => protocols.HasFlag(HttpProtocols.Http2) && (address.Scheme == Uri.UriSchemeHttps || protocols == HttpProtocols.Http2),
        "gRPC (HTTP/2)");

    /// <summary>Every endpoint with its protocols, for diagnostics.</summary>
    public IReadOnlyList<string> Describe() => [.. Resolve().Select(e => $"{e.Address} ({e.Protocols})")];

    private Uri Find(Func<Uri, HttpProtocols, bool> serves, string what)
    {
        foreach (var (address, protocols) in Resolve())
        {
            if (serves(address, protocols))
            {
                return address;
            }
        }

        throw new InvalidOperationException($"the hub has no {what} endpoint (is it started?); it has: {string.Join(", ", Describe())}");
    }

    private List<(Uri Address, HttpProtocols Protocols)> Resolve()
    {
        var bound = _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var resolved = new List<(Uri, HttpProtocols)>();
        foreach (var listener in _listeners.Snapshot())
        {
            // Kestrel writes the bound port back into the listen options, so a configured port 0 reads as the real one.
            var port = listener.IPEndPoint?.Port;
            var address = bound.Select(a => new Uri(a)).FirstOrDefault(a => a.Port == port);
            if (address is not null)
            {
                resolved.Add((ForClients(address), listener.Protocols));
            }
        }

        return resolved;
    }

    /// <summary>A wildcard bind address is not something a client can dial: use localhost instead.</summary>
    private static Uri ForClients(Uri address) =>
        address.Host is "0.0.0.0" or "[::]" or "+" or "*" ? new UriBuilder(address) { Host = "localhost" }.Uri : address;
}
