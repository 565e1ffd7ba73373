using EdgeCloud.Hub.Server;

namespace EdgeCloud.LoadTool;

/// <summary>A hub for one measurement, on a temp SQLite folder or a scratch PostgreSQL database, removed after.</summary>
internal sealed class HubRun : IAsyncDisposable
{
    private readonly string _folder;
    private readonly ScratchDatabase? _database;
    private readonly bool _started;

    private HubRun(WebApplication hub, string folder, ScratchDatabase? database, bool started) => (Hub, _folder, _database, _started) = (hub, folder, database, started);

    public WebApplication Hub { get; }

    public static async Task<HubRun> StartAsync(string? postgresAdmin, bool start)
    {
        var folder = Directory.CreateTempSubdirectory("load-hub-").FullName;
        var database = postgresAdmin is null ? null : await ScratchDatabase.CreateAsync(postgresAdmin, "load_hub");
        string[] args =
        [
            $"--Storage:DataDirectory={folder}", "--Kestrel:Endpoints:Api:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Sync:Url=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning", "--Retention:Enabled=false", "--Fleet:Mode=InsecureDevelopment",
            .. database is null ? Array.Empty<string>() : ["--Storage:Provider=Postgres", $"--Storage:ConnectionString={database.ConnectionString}"],
        ];
        var hub = HubApplication.Create(args);
        if (start)
        {
            await hub.StartAsync();
        }

        return new HubRun(hub, folder, database, start);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Hub.StopAsync();
        }

        await Hub.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
