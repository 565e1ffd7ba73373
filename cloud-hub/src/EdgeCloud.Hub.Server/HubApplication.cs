using EdgeCloud.Hub.Alerts;
using EdgeCloud.Hub.Api;
using EdgeCloud.Hub.Dashboard;
using EdgeCloud.Hub.Fleet;
using EdgeCloud.Hub.Ingest;
using EdgeCloud.Hub.Storage;
using Microsoft.AspNetCore.Hosting.Server;

namespace EdgeCloud.Hub.Server;

/// <summary>
/// Builds the cloud hub: storage, the agents' gRPC sync service, the REST API and health, on Kestrel.
/// The content root is the application's folder, so <c>appsettings.json</c> (default endpoints) is found
/// whatever the working directory, and the default data folder is <c>./data</c> beside the binary.
/// </summary>
/// <remarks>
/// Endpoints. Kestrel negotiates HTTP/2 only through TLS ALPN: on a cleartext endpoint with
/// <c>Protocols = Http1AndHttp2</c> it speaks HTTP/1.1 only and a prior-knowledge (h2c) gRPC call fails,
/// as the test <c>KestrelProtocolTests</c> shows. So without TLS the hub serves two endpoints: "Api"
/// (Http1AndHttp2, REST) and "Sync" (Http2 only, gRPC), both plain Kestrel endpoint configuration,
/// with defaults in appsettings.json (127.0.0.1:5080 and 127.0.0.1:5081). Override them like
/// <c>--Kestrel:Endpoints:Api:Url=http://0.0.0.0:8080 --Kestrel:Endpoints:Sync:Url=http://0.0.0.0:8081</c>.
/// Observed on .NET 10: an h2c call to the Http1AndHttp2 endpoint is closed with GOAWAY HTTP_1_1_REQUIRED;
/// an HTTP/1.1 request to the Http2 endpoint gets 400 "An HTTP/1.x request was sent to an HTTP/2 only
/// endpoint". With TLS, one Http1AndHttp2 endpoint would serve both (ALPN picks the protocol).
/// </remarks>
public static class HubApplication
{
    /// <summary>
    /// Creates the hub from command-line <paramref name="args"/> (any configuration key, e.g.
    /// <c>--Storage:DataDirectory=/var/lib/cloud-hub</c>); <paramref name="configure"/> may adjust the builder
    /// (services, Kestrel) before it is built. Start it with <c>Run</c>/<c>StartAsync</c>; after start,
    /// the <see cref="HubEndpoints"/> service tells the actual addresses.
    /// </summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Host.UseSystemd();

        var listeners = new KestrelListeners();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.ConfigureEndpointDefaults(listeners.Track);

            // Kestrel reads only endpoints from its section, not limits: bind them, so that the HTTP/2
            // keepalive pings of appsettings.json (which find agents whose link died silently) take effect.
            context.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits);
        });
        builder.Services.AddSingleton(services => new HubEndpoints(services.GetRequiredService<IServer>(), listeners));

        builder.AddHubStorage();
        builder.AddHubIngest();
        builder.AddHubApi();
        builder.AddHubMetrics();
        builder.AddHubFleet();
        builder.AddHubDashboard();
        builder.AddHubAlerts();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseHubFleet();
        app.MapHubAlerts();
        app.MapHubApi();
        app.MapHubIngest();
        app.MapHubMetrics();
        app.MapHubDashboard();
        return app;
    }
}
