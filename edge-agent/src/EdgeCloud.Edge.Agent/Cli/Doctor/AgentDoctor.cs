using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Time;

namespace EdgeCloud.Edge.Agent.Cli.Doctor;

/// <summary>
/// The installer's checks of a loaded config against this machine: data folder and disk budget, a
/// damaged outbox store set aside by recovery (only when there is one),
/// every device's reachability (TCP connect within the device's timeout, or the serial device
/// present and accessible), the hub's reachability, certificate expiry, and the clock. Checks only look: nothing is
/// created, written (beyond a probe file removed at once) or sent to a device.
/// </summary>
internal sealed partial class AgentDoctor(IClockStatus clock)
{
    /// <summary>Time allowed for the TCP connect to the hub.</summary>
    public TimeSpan HubTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs every check, in a fixed order, one result each.</summary>
    public async Task<IReadOnlyList<CheckResult>> RunAsync(AgentConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var results = new List<CheckResult> { CheckDataDirectory(config) };
        if (CheckSetAsideStore(config) is { } setAside)
        {
            results.Add(setAside);
        }

        foreach (var device in config.Site.Devices)
        {
            results.Add(device switch
            {
                ModbusTcpDeviceConfig tcp => await CheckTcpAsync($"device {tcp.Name}", tcp.Host, tcp.Port, tcp.Timeout, cancellationToken),
                ModbusRtuTcpDeviceConfig gateway => await CheckTcpAsync($"device {gateway.Name}", gateway.Host, gateway.Port, gateway.Timeout, cancellationToken),
                ModbusRtuDeviceConfig serial => CheckSerial($"device {serial.Name}", serial.Line.Port),
                _ => new CheckResult(CheckOutcome.Warn, $"device {device.Name}", $"protocol {device.Protocol} has no reachability check"),
            });
        }

        var hub = config.Hub.Url;
        var hubPort = hub.IsDefaultPort ? (hub.Scheme == Uri.UriSchemeHttps ? 443 : 80) : hub.Port;
        results.Add(await CheckTcpAsync("hub", hub.Host, hubPort, HubTimeout, cancellationToken));
        results.AddRange(CheckCertificates(config));
        results.Add(clock.IsSynchronized
            ? new CheckResult(CheckOutcome.Ok, "clock", "synchronized (kernel adjtimex)")
            : new CheckResult(CheckOutcome.Warn, "clock", "not synchronized: enable NTP (timedatectl set-ntp true, or chrony); points are flagged as taken on a free-running clock"));
        return results;
    }

    private static CheckResult CheckDataDirectory(AgentConfig config)
    {
        const string Name = "data folder";
        var dir = config.DataDirectory;
        if (!Directory.Exists(dir))
        {
            return new CheckResult(CheckOutcome.Fail, Name, $"{dir} does not exist (the package's postinst makes /var/lib/edge-agent; reinstall or create it owned by edge-agent)");
        }

        var probe = Path.Combine(dir, $".doctor-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new CheckResult(CheckOutcome.Fail, Name, $"{dir} is not writable by {Environment.UserName}: {ex.Message}");
        }

        // The outbox may grow to its budget: what it holds already plus the free space must cover it.
        var outbox = Path.Combine(dir, "outbox");
        var used = Directory.Exists(outbox)
            ? new DirectoryInfo(outbox).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;
        var free = new DriveInfo(Path.GetFullPath(dir)).AvailableFreeSpace;
        var budget = config.Outbox.MaxBytes;
        return free + used >= budget
            ? new CheckResult(CheckOutcome.Ok, Name, $"{dir} writable; {Mib(free)} free for an outbox budget of {Mib(budget)} ({Mib(used)} used)")
            : new CheckResult(CheckOutcome.Fail, Name, $"{dir}: only {Mib(free)} free but the outbox budget (outbox.maxBytes) is {Mib(budget)} ({Mib(used)} used): free disk space or lower the budget");
    }

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):F0} MiB";
}
