using System.Diagnostics;
using System.Globalization;

namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>
/// A network namespace joined to the host by a veth pair (<see cref="HostAddress"/> on the host side,
/// <see cref="InnerAddress"/> inside), with an nftables table of its own for link faults. Faults are rules
/// on the namespace's output hook, so the namespace's traffic to the host is what breaks: <c>drop</c> is a
/// silent dead link (no FIN, no RST), <c>reject with tcp reset</c> resets every connection. Deleting the
/// namespace removes its veth pair and its rules together; <see cref="Dispose"/> always does. Needs root
/// (CI runs as root); anything that fails throws with the command and its error, never skips.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private const string Table = "ecfault";

    private NetworkNamespace(string name, string hostAddress, string innerAddress)
    {
        Name = name;
        HostAddress = hostAddress;
        InnerAddress = innerAddress;
    }

    public string Name { get; }

    public string HostAddress { get; }

    public string InnerAddress { get; }

    public static NetworkNamespace Create()
    {
        var id = Random.Shared.Next(1, 250);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"ec-{suffix}";
        var net = $"10.213.{id.ToString(CultureInfo.InvariantCulture)}";
        var created = new NetworkNamespace(name, $"{net}.1", $"{net}.2");
        try
        {
            Run("ip", "netns", "add", name);
            Run("ip", "link", "add", $"ech{suffix}", "type", "veth", "peer", "name", $"eci{suffix}");
            Run("ip", "link", "set", $"eci{suffix}", "netns", name);
            Run("ip", "addr", "add", $"{created.HostAddress}/30", "dev", $"ech{suffix}");
            Run("ip", "link", "set", $"ech{suffix}", "up");
            created.Exec("ip", "addr", "add", $"{created.InnerAddress}/30", "dev", $"eci{suffix}");
            created.Exec("ip", "link", "set", $"eci{suffix}", "up");
            created.Exec("ip", "link", "set", "lo", "up");
            created.Exec("nft", "add", "table", "inet", Table);
            created.Exec("nft", "add", "chain", "inet", Table, "out", "{ type filter hook output priority 0 ; }");
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>Silently drops every packet the namespace sends to <paramref name="port"/> on the host side.</summary>
    public void Blackhole(int port) => AddRule(port, "drop");

    /// <summary>Answers every packet the namespace sends to <paramref name="port"/> with a TCP reset.</summary>
    public void Reset(int port) => AddRule(port, "reject", "with", "tcp", "reset");

    /// <summary>Removes every fault: the link works again.</summary>
    public void Heal() => Exec("nft", "flush", "chain", "inet", Table, "out");

    public void Dispose()
    {
        // Also removes the veth pair (its inner end lives here) and the nftables table.
        TryRun("ip", "netns", "del", Name);
    }

    private void AddRule(int port, params string[] verdict) =>
        Exec(["nft", "add", "rule", "inet", Table, "out", "ip", "daddr", HostAddress, "tcp", "dport", port.ToString(CultureInfo.InvariantCulture), .. verdict]);

    private void Exec(params string[] command) => Run("ip", ["netns", "exec", Name, .. command]);

    private static void Run(string file, params string[] args)
    {
        var (code, error) = TryRun(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"'{file} {string.Join(' ', args)}' failed ({code}): {error.Trim()} (network namespace tests need root and the iproute2 and nftables packages, as CI has)");
        }
    }

    private static (int Code, string Error) TryRun(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{file}: {ex.Message}");
        }
    }
}
