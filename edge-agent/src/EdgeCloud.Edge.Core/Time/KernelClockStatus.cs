using System.Runtime.InteropServices;

namespace EdgeCloud.Edge.Time;

/// <summary>
/// Reads the kernel's clock state with adjtimex(2) in read-only mode (modes = 0), the same
/// source as timedatectl's "System clock synchronized": the call returns TIME_ERROR (5) while the
/// clock is unsynchronized (STA_UNSYNC). Cached for a few seconds; false where the call is not
/// available.
/// </summary>
internal sealed partial class KernelClockStatus(TimeProvider time) : IClockStatus
{
    private const int TimeError = 5;

    // struct timex is 208 bytes on 64-bit Linux; a larger zeroed buffer keeps the call safe on
    // any layout, and modes = 0 (the first field) makes it read-only.
    private const int TimexBufferSize = 512;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private bool _synchronized;

    public bool IsSynchronized
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (now - _checkedAt >= CacheFor || now < _checkedAt)
                {
                    _synchronized = Query();
                    _checkedAt = now;
                }

                return _synchronized;
            }
        }
    }

    private static unsafe bool Query()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var buffer = stackalloc byte[TimexBufferSize];
        new Span<byte>(buffer, TimexBufferSize).Clear();
        var state = AdjTimex(buffer);
        return state >= 0 && state != TimeError;
    }

    [LibraryImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static unsafe partial int AdjTimex(byte* timex);
}
