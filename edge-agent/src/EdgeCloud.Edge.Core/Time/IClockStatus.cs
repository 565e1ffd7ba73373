namespace EdgeCloud.Edge.Time;

/// <summary>
/// Whether the system clock is disciplined (NTP, PTP, chrony). Points keep their source
/// timestamps either way; the flag travels with each batch so that the hub can tell a trusted
/// timestamp from one taken on a free-running clock.
/// </summary>
public interface IClockStatus
{
    /// <summary>True when the kernel reports the clock synchronized.</summary>
    bool IsSynchronized { get; }
}
