using EdgeCloud.Hub.Server;
using Microsoft.AspNetCore.Builder;

namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>
/// The real hub in its secure (mTLS) mode, as enrolled agents meet it: the REST API over plain HTTP on a loopback
/// port, the sync endpoint over HTTPS on another, SQLite in <c>dataDirectory</c>, and an admin client that sends
/// the bootstrap admin key. Stopped and disposed with the object.
/// </summary>
internal sealed class SecureHub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SecureHub(WebApplication app, int apiPort, int syncPort, string adminKey)
    {
        _app = app;
        ApiPort = apiPort;
        SyncPort = syncPort;
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        Admin.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
    }

    public int ApiPort { get; }

    public int SyncPort { get; }

    /// <summary>The REST API as the bootstrap admin.</summary>
    public HttpClient Admin { get; }

    /// <summary>Starts a hub whose bootstrap admin key is <paramref name="adminKey"/>; <paramref name="settings"/> are further command-line settings.</summary>
    public static async Task<SecureHub> StartAsync(string dataDirectory, string adminKey, params string[] settings)
    {
        var apiPort = FreePort.Next();
        var syncPort = FreePort.Next();
        var app = HubApplication.Create(
        [
            $"--Storage:DataDirectory={dataDirectory}",
            $"--Kestrel:Endpoints:Api:Url=http://127.0.0.1:{apiPort}",
            $"--Kestrel:Endpoints:Sync:Url=https://127.0.0.1:{syncPort}",
            $"--Fleet:BootstrapAdminKey={adminKey}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]);
        await app.StartAsync();
        return new SecureHub(app, apiPort, syncPort, adminKey);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
