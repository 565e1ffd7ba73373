using System.Diagnostics;
using System.Globalization;

namespace EdgeCloud.Edge.Modbus.LoadTool;

/// <summary>Python peers and socat, started and stopped by their process ids.</summary>
internal sealed class Peer : IAsyncDisposable
{
    private readonly Process _process;

    private Peer(Process process, int ready)
    {
        _process = process;
        Ready = ready;
    }

    /// <summary>The number printed after READY.</summary>
    public int Ready { get; }

    /// <summary>Starts a script of Peers/ with /usr/bin/python3 and waits for its READY line.</summary>
    public static async Task<Peer> PythonAsync(string script, params string[] arguments)
    {
        var process = Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Peers", script), .. arguments]);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException($"{script} exited before READY");
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                return new Peer(process, int.Parse(line[6..], CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Runs a script to its end and returns what it printed.</summary>
    public static async Task<string> RunPythonAsync(string script, params string[] arguments)
    {
        using var process = Start("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Peers", script), .. arguments]);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }

    /// <summary>A socat pty pair in a temp folder: (master end, device end, the peer).</summary>
    public static async Task<(string Master, string Device, Peer Socat)> PtyPairAsync()
    {
        var folder = Directory.CreateTempSubdirectory("modbus-load-").FullName;
        var master = Path.Combine(folder, "master");
        var device = Path.Combine(folder, "device");
        var process = Start("socat", [$"pty,raw,echo=0,link={master}", $"pty,raw,echo=0,link={device}"]);
        var until = Stopwatch.StartNew();
        while (!File.Exists(master) || !File.Exists(device))
        {
            if (until.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException("socat made no ptys");
            }

            await Task.Delay(10);
        }

        return (master, device, new Peer(process, 0));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static Process Start(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }
}
