using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Edge.Mqtt.Tests.Peers;

/// <summary>
/// A Debian mosquitto broker on an ephemeral loopback port, with its own config file in a temp
/// folder, started by the test and killed by its pid. <see cref="RestartAsync"/> stops and starts
/// it on the same port (sessions are in memory, so a restart drops them, as a real broker restart
/// without persistence does).
/// </summary>
public class MosquittoBroker : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-mosquitto-").FullName;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>The broker's own folder (config, certificates, password file).</summary>
    protected string Folder => _dir;

    public async Task InitializeAsync()
    {
        // A port found free can be taken (by another test's outgoing connection) before mosquitto
        // binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            await File.WriteAllTextAsync(Path.Combine(_dir, "mosquitto.conf"), await ConfigureAsync());
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Stop();
            }
        }
    }

    /// <summary>The mosquitto.conf text; a plain anonymous listener on <see cref="Port"/> here.</summary>
    protected virtual Task<string> ConfigureAsync() => Task.FromResult($"""
        listener {Port} 127.0.0.1
        allow_anonymous true
        persistence false
        max_queued_messages 10000
        """);

    public async Task RestartAsync()
    {
        Stop();
        await StartAsync();
    }

    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public Task DisposeAsync()
    {
        Stop();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private async Task StartAsync()
    {
        var start = new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", Path.Combine(_dir, "mosquitto.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"mosquitto is not listening on {Port}: {string.Join(" | ", _output)}", ex);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
