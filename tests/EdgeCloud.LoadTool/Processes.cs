using System.Diagnostics;
using System.Globalization;

namespace EdgeCloud.LoadTool;

/// <summary>Child processes of a run, and what Linux says about them in /proc.</summary>
internal static class Processes
{
    /// <summary>Kernel clock ticks per second for utime/stime in /proc/[pid]/stat (USER_HZ: 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Starts a process with its output read (and dropped unless <paramref name="onLine"/> wants it), so it never blocks on a full pipe.</summary>
    public static Process Start(ProcessStartInfo info, Action<string>? onLine = null)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Forward(string? line)
        {
            if (line is not null)
            {
                onLine?.Invoke(line);
            }
        }
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }

    /// <summary>User + system CPU time the process has used so far (/proc/[pid]/stat fields 14 and 15).</summary>
    public static TimeSpan CpuTime(Process process)
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");

        // The command name (field 2) is in parentheses and may hold spaces; fields are counted after its ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>
    /// Resident memory now (VmRSS), its peak so far (VmHWM) and the anonymous part of VmRSS (RssAnon: heaps and
    /// stacks, without the mapped files of the runtime and assemblies that other processes can share), in bytes,
    /// from /proc/[pid]/status.
    /// </summary>
    public static (long Rss, long Peak, long Anonymous) Memory(Process process)
    {
        var status = File.ReadAllLines($"/proc/{process.Id}/status");
        return (Kib(status, "VmRSS:"), Kib(status, "VmHWM:"), Kib(status, "RssAnon:"));
    }

    public static string Mib(long bytes) => $"{bytes / 1048576.0:F1} MiB";

    private static long Kib(string[] status, string key) =>
        long.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
