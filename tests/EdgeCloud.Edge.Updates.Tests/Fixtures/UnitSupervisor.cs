using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeCloud.Edge.Updates.Tests.Fixtures;

/// <summary>
/// Plays systemd for the edge-agent unit: runs the unit's ExecStart (the real launcher script with
/// <c>run --config</c>), and after an exit other than 0 or 78 starts it again (Restart=on-failure,
/// RestartPreventExitStatus=78) after a short RestartSec. <see cref="Kill9"/> sends SIGKILL to the service's main
/// process (the launcher exec's the agent, so that is the agent).
/// </summary>
internal sealed class UnitSupervisor : IAsyncDisposable
{
    private readonly string _config;
    private readonly Dictionary<string, string> _environment;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private Process? _current;

    public UnitSupervisor(string config, string slots, string packaged, int trialStarts = 3)
    {
        _config = config;
        _environment = new(StringComparer.Ordinal)
        {
            ["EDGE_AGENT_SLOTS"] = slots,
            ["EDGE_AGENT_PACKAGED"] = packaged,
            ["EDGE_AGENT_TRIAL_STARTS"] = trialStarts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Every start's exit code, in order (null while running).</summary>
    public ConcurrentQueue<int> Exits { get; } = new();

    public ConcurrentQueue<string> Output { get; } = new();

    public int Starts;

    /// <summary>The install slot the running agent was started from ("a", "b"), "packaged", or null when none runs.</summary>
    public string? RunningBuild()
    {
        var process = Volatile.Read(ref _current);
        if (process is null || process.HasExited)
        {
            return null;
        }

        try
        {
            var environ = File.ReadAllText($"/proc/{process.Id}/environ");
            var slot = environ.Split('\0').FirstOrDefault(v => v.StartsWith("EDGE_AGENT_SLOT=", StringComparison.Ordinal));
            return slot?["EDGE_AGENT_SLOT=".Length..] ?? "packaged";
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL to the running agent, if one runs.</summary>
    public void Kill9()
    {
        var process = Volatile.Read(ref _current);
        if (process is { HasExited: false })
        {
            process.Kill();
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var start = new ProcessStartInfo("sh")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { RepoPaths.Launcher, "run", "--config", _config })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (key, value) in _environment)
            {
                start.Environment[key] = value;
            }

            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => Note(e.Data);
            process.ErrorDataReceived += (_, e) => Note(e.Data);
            process.Start();
            Interlocked.Increment(ref Starts);
            Volatile.Write(ref _current, process);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None);
                return;
            }

            Exits.Enqueue(process.ExitCode);
            Volatile.Write(ref _current, null);
            if (process.ExitCode is 0 or 78)
            {
                return;
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    private void Note(string? line)
    {
        if (line is not null)
        {
            Output.Enqueue(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
