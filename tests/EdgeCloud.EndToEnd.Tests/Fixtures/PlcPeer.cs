using System.Diagnostics;

namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>
/// The PLC: pymodbus 3.0 (Debian's python3-pymodbus), an independent Modbus implementation,
/// running Peers/plc.py on a loopback port. Killed by its process id on dispose.
/// </summary>
internal sealed class PlcPeer : IAsyncDisposable
{
    private readonly Process _process;

    private PlcPeer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts the PLC on 127.0.0.1, in the host's network namespace or in <paramref name="netns"/>.</summary>
    public static async Task<PlcPeer> StartAsync(string? netns = null)
    {
        var port = FreePort.Next();
        string[] command = ["/usr/bin/python3", RepoPaths.Peer("plc.py"), port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var info = new ProcessStartInfo(netns is null ? command[0] : "ip", netns is null ? command[1..] : ["netns", "exec", netns, .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/python3 (is python3-pymodbus installed? run .ci/run)");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == "READY")
            {
                return new PlcPeer(process, port);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"pymodbus peer exited before READY (exit {process.ExitCode}); is python3-pymodbus installed?");
    }

    /// <summary>Kills the PLC now (the device goes dark mid-test); dispose still releases the process.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
