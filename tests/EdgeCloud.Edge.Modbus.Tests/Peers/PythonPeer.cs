using System.Diagnostics;
using System.Globalization;

namespace EdgeCloud.Edge.Modbus.Tests.Peers;

/// <summary>
/// A peer script run with Debian's /usr/bin/python3 (which sees python3-pymodbus). Started with
/// its standard input redirected (the scripts exit when it closes, should the test host die) and
/// awaited until it prints <c>READY &lt;number&gt;</c>. Dispose kills it by its pid.
/// </summary>
internal sealed class PythonPeer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;

    private PythonPeer(Process process, int ready)
    {
        _process = process;
        Ready = ready;
    }

    /// <summary>The number the script printed after READY (a port, or 0).</summary>
    public int Ready { get; }

    public static async Task<PythonPeer> StartAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Peers", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("python did not start");
        process.ErrorDataReceived += (_, _) => { }; // pymodbus logs to stderr; drained so it never blocks.
        process.BeginErrorReadLine();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException($"{script} exited before READY");
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    return new PythonPeer(process, int.Parse(line["READY ".Length..], CultureInfo.InvariantCulture));
                }
            }
        }
        catch
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            throw;
        }
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
}
