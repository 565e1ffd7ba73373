using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Hub.Fleet.Identity;
using EdgeCloud.Hub.Fleet.Storage;
using EdgeCloud.Hub.Server;
using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Hub.Fleet.Tests.TestSupport;

/// <summary>
/// A real hub (HubApplication on Kestrel) in its default secure mode on ephemeral loopback ports: REST over
/// HTTP/1.1, the sync endpoint over TLS requiring client certificates. The bootstrap admin's key is
/// <see cref="AdminKey"/>; <see cref="Admin"/> sends it. Dispose stops the hub and deletes its data.
/// </summary>
internal sealed class SecureHub : IAsyncDisposable
{
    public const string AdminKey = "ecak_test-admin";

    private readonly TempDirectory? _data;
    private Action? _dropDatabase;

    private SecureHub(WebApplication app, string dataPath, TempDirectory? data)
    {
        App = app;
        DataPath = dataPath;
        _data = data;
        var endpoints = app.Services.GetRequiredService<HubEndpoints>();
        ApiUri = endpoints.Api;
        SyncUri = endpoints.Sync;
        Admin = Client(AdminKey);
    }

    public WebApplication App { get; }

    /// <summary>The hub's data folder (the fleet's files are in its <c>fleet</c> subfolder).</summary>
    public string DataPath { get; }

    public Uri ApiUri { get; }

    public Uri SyncUri { get; }

    /// <summary>The bootstrap admin (tenant default).</summary>
    public HttpClient Admin { get; }

    public HubCertificateAuthority Ca => App.Services.GetRequiredService<HubCertificateAuthority>();

    public IFleetStore Store => App.Services.GetRequiredService<IFleetStore>();

    public static async Task<SecureHub> StartAsync(params string[] extraArgs)
    {
        var data = new TempDirectory();
        return await StartCoreAsync(data.Path, data, extraArgs);
    }

    /// <summary>A hub on the data folder <paramref name="dataPath"/>, which the caller owns (to start another hub on it after this one stops).</summary>
    public static Task<SecureHub> StartInAsync(string dataPath, params string[] extraArgs) => StartCoreAsync(dataPath, null, extraArgs);

    private static async Task<SecureHub> StartCoreAsync(string dataPath, TempDirectory? owned, string[] extraArgs)
    {
        string[] args =
        [
            $"--Storage:DataDirectory={dataPath}",
            "--Kestrel:Endpoints:Api:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:Sync:Url=https://127.0.0.1:0",
            $"--Fleet:BootstrapAdminKey={AdminKey}",
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ];
        var app = HubApplication.Create(args, builder => builder.Logging.ClearProviders());
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            owned?.Dispose();
            throw;
        }

        return new SecureHub(app, dataPath, owned);
    }

    /// <summary>
    /// A hub whose telemetry and fleet state live in a fresh database on <paramref name="server"/> (dropped at
    /// dispose) instead of SQLite files: the same tests then run on both fleet store backends.
    /// </summary>
    public static async Task<SecureHub> StartOnPostgresAsync(PostgresServer server, params string[] extraArgs)
    {
        var database = server.CreateDatabase();
        try
        {
            var hub = await StartAsync(["--Storage:Provider=Postgres", $"--Storage:ConnectionString={database}", .. extraArgs]);
            hub._dropDatabase = () => server.DropDatabase(database);
            return hub;
        }
        catch
        {
            server.DropDatabase(database);
            throw;
        }
    }

    /// <summary>A client of the API that sends <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient Client(string? apiKey)
    {
        var http = new HttpClient { BaseAddress = ApiUri, Timeout = TimeSpan.FromSeconds(20) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return http;
    }

    /// <summary>Makes an enrollment token as <paramref name="admin"/> and returns its secret.</summary>
    public static async Task<string> CreateTokenAsync(HttpClient admin, params string[] labels)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/enrollment-tokens", new { labels, lifetimeSeconds = 600 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token refused: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Creates tenant <paramref name="tenant"/> (when missing) and a user of <paramref name="role"/> in it; returns the user's API key.</summary>
    public async Task<string> CreateUserAsync(string tenant, string userId, string role)
    {
        if (tenant != FleetOptions.RootTenant)
        {
            using var created = await Admin.PostAsJsonAsync("/api/v1/tenants", new { id = tenant, name = tenant });
            Assert.True(created.IsSuccessStatusCode || created.StatusCode == System.Net.HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        }

        using var response = await Admin.PostAsJsonAsync($"/api/v1/tenants/{tenant}/users", new { id = userId, role });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("apiKey").GetString()!;
    }

    /// <summary>Enrolls an in-process agent with a fresh token of <paramref name="admin"/>'s tenant.</summary>
    public async Task<TestAgent> EnrollAsync(string agentId, HttpClient? admin = null, params string[] labels)
    {
        var token = await CreateTokenAsync(admin ?? Admin, labels);
        return await TestAgent.EnrollAsync(this, agentId, token);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _data?.Dispose();
        _dropDatabase?.Invoke();
    }
}
