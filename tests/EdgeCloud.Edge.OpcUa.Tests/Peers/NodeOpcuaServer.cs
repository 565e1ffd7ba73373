using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Edge.OpcUa.Tests.Peers;

/// <summary>
/// The node-opcua test peer (peer/server.js) in its own process on a loopback port: a namespace
/// (index 2) of changing variables, writable nodes, None and Basic256Sha256 endpoints, anonymous
/// and operator/secret-pw identities. Stopped by its own pid; can be restarted on the same port
/// and with the same PKI folder, so its certificate stays the same across restarts.
/// </summary>
public sealed class NodeOpcuaServer : IAsyncDisposable
{
    public const string UserName = "operator";
    public const string Password = "secret-pw";
    private readonly string[] _extraArgs;
    private Process? _process;

    private NodeOpcuaServer(int port, string pkiFolder, string[] extraArgs)
    {
        Port = port;
        PkiFolder = pkiFolder;
        _extraArgs = extraArgs;
    }

    public int Port { get; }

    public string PkiFolder { get; }

    public string EndpointUrl => $"opc.tcp://localhost:{Port}/UA/EdgeCloudTest";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's certificate (DER) as node-opcua stored it.</summary>
    public byte[] Certificate
    {
        get
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
                File.ReadAllText(Path.Combine(PkiFolder, "server", "own", "certs", "certificate.pem")));
            return certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Cert);
        }
    }

    public static async Task<NodeOpcuaServer> StartAsync(params string[] extraArgs)
    {
        var pki = Path.Combine(Path.GetTempPath(), "edgecloud-opcua-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(pki);
        var server = new NodeOpcuaServer(FreePort(), pki, extraArgs);
        await server.RestartAsync();
        return server;
    }

    public static string PeerFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "EdgeCloud.Edge.OpcUa.Tests", "peer");
                if (File.Exists(Path.Combine(candidate, "server.js")))
                {
                    if (!Directory.Exists(Path.Combine(candidate, "node_modules", "node-opcua")))
                    {
                        throw new InvalidOperationException($"node-opcua is not installed: run 'npm ci' in {candidate} (.ci/run does)");
                    }

                    return candidate;
                }
            }

            throw new InvalidOperationException("tests/EdgeCloud.Edge.OpcUa.Tests/peer/server.js not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Starts (again) on the same port; returns once the server prints READY.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the server is running");
        }

        var peer = PeerFolder;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = peer,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(peer, "server.js"), "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pki", PkiFolder }.Concat(_extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process = process;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("READY", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != ready.Task)
        {
            await StopAsync();
            lock (errors)
            {
                throw new InvalidOperationException("node-opcua server did not become ready: " + errors);
            }
        }
    }

    /// <summary>Stops the server process (by its pid) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(PkiFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
