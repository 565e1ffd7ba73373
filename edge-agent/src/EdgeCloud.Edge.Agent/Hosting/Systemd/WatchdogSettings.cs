using System.Globalization;

namespace EdgeCloud.Edge.Agent.Hosting.Systemd;

/// <summary>
/// The watchdog systemd armed for this process (sd_watchdog_enabled(3)): <c>$WATCHDOG_USEC</c>
/// is the timeout; <c>$WATCHDOG_PID</c>, when set, names the process it is meant for (a child
/// started by the agent must not ping on its behalf). Pings go out at half the timeout, as the
/// man page advises, so one late tick does not kill a healthy agent.
/// </summary>
/// <param name="Timeout">The watchdog timeout.</param>
internal sealed record WatchdogSettings(TimeSpan Timeout)
{
    /// <summary>Time between two pings.</summary>
    public TimeSpan PingInterval => Timeout / 2;

    /// <summary>Reads the environment; null when no watchdog is armed for this process.</summary>
    public static WatchdogSettings? FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    /// <summary>Parses the two variables for the process <paramref name="ownPid"/>.</summary>
    public static WatchdogSettings? Parse(string? usec, string? pid, int ownPid)
    {
        if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) || micros == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var target) || target != ownPid))
        {
            return null;
        }

        return new WatchdogSettings(TimeSpan.FromMicroseconds(micros));
    }
}
