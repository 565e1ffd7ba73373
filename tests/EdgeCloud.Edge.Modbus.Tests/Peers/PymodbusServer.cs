using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Modbus.Tests.Peers;

/// <summary>
/// Runs pymodbus_server.py (Debian's python3-pymodbus 3.0, the independent peer) on a free
/// loopback port for the tests of one collection. Kills the process by its pid at dispose; the
/// script also exits when its standard input closes, should the test host die first.
/// </summary>
public sealed class PymodbusServer : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private Process? _process;

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "pymodbus_server.py");
        var start = new ProcessStartInfo(Python)
        {
            // Port 0: the script binds a free port itself and reports it, so no other process can take it in between.
            ArgumentList = { script, "0" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("python did not start");
        _process.ErrorDataReceived += (_, _) => { }; // pymodbus logs to stderr; drained so it never blocks.
        _process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(deadline.Token)
                ?? throw new InvalidOperationException($"pymodbus_server.py exited with {(_process.HasExited ? _process.ExitCode : -1)} before READY");
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                Port = int.Parse(line["READY ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                break;
            }
        }

        // The first request makes Python import and warm up its request path; taking that here
        // keeps the tests' own timeouts meaningful.
        await using var master = new ModbusTcpMaster("127.0.0.1", Port, TimeSpan.FromSeconds(10));
        await master.ReadHoldingRegistersAsync(1, 0, 1, deadline.Token);
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>A loopback port that was free a moment ago (nothing listens there: connects are refused).</summary>
    internal static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
