using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EdgeCloud.Hub.Tests.TestSupport;

/// <summary>
/// A real PostgreSQL 15 server from the Debian binaries, started for the test run: initdb into a temp folder,
/// pg_ctl start on an ephemeral loopback port with its unix socket in that folder, pg_ctl stop and removal at
/// the end. As root it runs as the OS user <c>postgres</c> (initdb refuses root) through <c>runuser</c>, in a
/// folder that user owns. Each test gets its own database from <see cref="CreateDatabase"/>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>Where Debian installs PostgreSQL 15; override with EDGECLOUD_PG_BIN.</summary>
    public static readonly string BinDirectory = Environment.GetEnvironmentVariable("EDGECLOUD_PG_BIN") ?? "/usr/lib/postgresql/15/bin";

    private static readonly bool AsRoot = Environment.UserName == "root";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "edgecloud-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private int _port;
    private bool _started;

    private string DataDirectory => Path.Combine(_folder, "data");

    /// <summary>Connection string of the maintenance database <c>postgres</c> as superuser.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        if (AsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _folder]);
        }

        await RunPgAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        _port = FreePort();
        var options = $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on";
        await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        _started = true;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started)
        {
            await RunPgAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, closing what still uses it.</summary>
    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "postgres",
        Database = database,
        Timeout = 15,
        MaxPoolSize = 40,
    }.ToString();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunPgAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(BinDirectory, tool);
        return AsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
