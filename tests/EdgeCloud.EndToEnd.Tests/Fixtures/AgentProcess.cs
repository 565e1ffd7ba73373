using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>
/// A real <c>edge-agent</c> process (the built edge-agent.dll under <c>dotnet</c>), with its
/// output captured line by line. <see cref="KillAsync"/> is SIGKILL: no shutdown code runs, as in
/// a crash; <see cref="StopAsync"/> is SIGTERM, as systemd stops a service.
/// </summary>
internal sealed partial class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private AgentProcess(Process process) => _process = process;

    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    /// <summary>The process id (a live config change must leave it the same).</summary>
    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public static AgentProcess Start(params string[] arguments) => StartDll(RepoPaths.AgentDll, arguments);

    /// <summary>
    /// Starts the agent inside network namespace <paramref name="netns"/> (<c>ip netns exec</c> execs the
    /// program in place, so the process is the agent itself and SIGKILL reaches it).
    /// </summary>
    public static AgentProcess StartIn(string netns, params string[] arguments) => StartDll(RepoPaths.AgentDll, netns, arguments);

    /// <summary>Starts another of our executables (the hub) the same way, for crash tests of its own.</summary>
    public static AgentProcess StartDll(string dll, params string[] arguments) => StartDll(dll, null, arguments);

    private static AgentProcess StartDll(string dll, string? netns, string[] arguments)
    {
        var info = new ProcessStartInfo(netns is null ? "dotnet" : "ip", netns is null ? [dll, .. arguments] : ["netns", "exec", netns, "dotnet", dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => agent.Add(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, Func<Match, bool>? accept = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in _lines)
            {
                var match = pattern.Match(line);
                if (match.Success && (accept is null || accept(match)))
                {
                    return match;
                }
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"agent never printed /{pattern}/; output:{Environment.NewLine}{Output}");
    }

    public string Output => string.Join(Environment.NewLine, _lines);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, exactly as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: what systemd sends on stop; the agent shuts down cleanly.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, 15);
        }

        return await WaitForExitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
