using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// The memory tail's hard bound. The tail is written to LiteDB once it passes
/// <see cref="OutboxOptions.MemoryTailBytes"/>, but only when the disk has room for it (the reserve
/// plus twice the tail: LiteDB's log, then its data file). When it has not, the budget drops the
/// oldest telemetry; when that can free nothing either (only alarm events wait, or the waiting
/// batches are in flight to the hub), the tail would grow in memory without limit.
/// </summary>
/// <remarks>
/// So past <see cref="TailLimit"/> appends are parked, in order, on the writer thread: their callers
/// wait (the batcher stops sealing, the pipeline's own bounded channel applies its overflow
/// policy, counted), nothing is lost from the outbox, and no append is refused for a condition
/// that the hub's next acknowledgements or freed disk space can lift. Parked appends go on as soon
/// as the tail is below the bound again or the disk has room for the spill (checked every
/// <see cref="ParkedRetryDelay"/>); at close or after a storage failure they fail with an error
/// that names the disk.
/// </remarks>
internal sealed partial class LiteDbOutbox
{
    private static readonly TimeSpan ParkedRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Queue<AppendCommand> _parked = new();

    /// <summary>Appends waiting for the memory tail to shrink or the disk to have room (writer thread).</summary>
    internal int ParkedAppends => Volatile.Read(ref _parkedCount);

    private int _parkedCount;

    /// <summary>Twice <see cref="OutboxOptions.MemoryTailBytes"/>, at least 1 MiB (so that a tail turned off still takes a group).</summary>
    private long TailLimit => Math.Max(2 * _options.MemoryTailBytes, 1L << 20);

    /// <summary>True while the tail is at its bound and the disk lacks the room to write it to LiteDB.</summary>
    private bool TailFull()
    {
        var bytes = TailBytes();
        return bytes >= TailLimit && AvailableFreeBytes() < _options.ReserveFreeBytes + (2 * bytes);
    }

    private void Park(AppendCommand append)
    {
        if (_parked.Count == 0)
        {
            var bytes = TailBytes();
            LogAppendsParked(_logger, bytes, _options.MemoryTailBytes, _options.Directory, AvailableFreeBytes(), _options.ReserveFreeBytes + (2 * bytes));
        }

        _parked.Enqueue(append);
        Volatile.Write(ref _parkedCount, _parked.Count);
    }

    /// <summary>After the loop (close, or a storage failure): parked appends were never stored; their callers hear why.</summary>
    private void FailParked()
    {
        if (_parked.Count == 0)
        {
            return;
        }

        var error = new IOException(
            $"the outbox closed while {_parked.Count} appends waited for disk space: the memory tail held {TailBytes()} bytes " +
            $"(bound {TailLimit}, twice outbox.memoryTailBytes) and {_options.Directory} lacked the room to write it to LiteDB " +
            $"(free {AvailableFreeBytes()} bytes, needed the reserve {_options.ReserveFreeBytes} plus twice the tail); these batches were not stored",
            _fault);
        while (_parked.TryDequeue(out var append))
        {
            append.Fail(error);
        }

        Volatile.Write(ref _parkedCount, 0);
    }

    [LoggerMessage(EventId = 2016, Level = LogLevel.Warning, Message = "Outbox appends wait: the memory tail holds {TailBytes} bytes (outbox.memoryTailBytes is {MemoryTailBytes}) and cannot be written to LiteDB, because {Directory} has {FreeBytes} bytes free and needs {NeededBytes}; the budget found nothing to drop. Appends go on when the hub acknowledges or disk space is freed")]
    private static partial void LogAppendsParked(ILogger logger, long tailBytes, long memoryTailBytes, string directory, long freeBytes, long neededBytes);
}
