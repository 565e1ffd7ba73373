namespace EdgeCloud.Hub.Storage;

/// <summary>
/// Conversions between <see cref="DateTimeOffset"/> (100 ns ticks) and signed Unix nanoseconds, the
/// hub's storage form of every time. A signed 64-bit count covers 1677-09-21 to 2262-04-11.
/// </summary>
public static class UnixNanos
{
    private const long NanosPerTick = 100;

    /// <summary>Converts to Unix nanoseconds; false when the time is outside the representable range.</summary>
    public static bool TryFrom(DateTimeOffset time, out long unixNano)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        if (ticks > long.MaxValue / NanosPerTick || ticks < long.MinValue / NanosPerTick)
        {
            unixNano = 0;
            return false;
        }

        unixNano = ticks * NanosPerTick;
        return true;
    }

    /// <summary>Converts to Unix nanoseconds; throws <see cref="ArgumentOutOfRangeException"/> outside 1677..2262.</summary>
    public static long From(DateTimeOffset time) =>
        TryFrom(time, out var nanos) ? nanos : throw new ArgumentOutOfRangeException(nameof(time), time, "outside the range of Unix nanoseconds");

    /// <summary>Converts Unix nanoseconds to a UTC time, dropping the digits below 100 ns.</summary>
    public static DateTimeOffset ToDateTimeOffset(long unixNano) =>
        DateTimeOffset.UnixEpoch.AddTicks(Math.DivRem(unixNano, NanosPerTick, out var rest) - (rest < 0 ? 1 : 0));
}
