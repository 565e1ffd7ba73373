using System.Threading.Channels;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// The outbox on LiteDB 5.0.20 plus <see cref="Journal.DurableJournal"/> as its durability
/// barrier. All storage work runs on one dedicated writer thread, because LiteDB transactions
/// belong to a thread and must never span an await; callers post commands through a bounded
/// channel (callers wait when it is full) and await their completion. Appends that queue up while
/// a group is being written share the next fsync (group commit).
/// </summary>
internal sealed partial class LiteDbOutbox : IOutbox, IDisposable
{
    private const string BatchesCollection = "batches";
    private const string StateCollection = "state";
    private const string StateId = "outbox";

    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LiteDbOutbox> _logger;
    private readonly OutboxFiles _files;
    private readonly Channel<OutboxCommand> _commands;
    private readonly Thread _writer;
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _waitersLock = new();
    private TaskCompletionSource _durableChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LiteDatabase? _db;
    private UnsyncedFileStream? _dataStream;
    private UnsyncedFileStream? _logStream;
    private Journal.DurableJournal? _journal;
    private long _lastDurable;
    private long _lastAcknowledged;
    private long _storedBatches;
    private long _storedPoints;
    private string _epoch = "";
    private Exception? _fault;

    public LiteDbOutbox(OutboxOptions options, TimeProvider time, ILogger<LiteDbOutbox> logger)
        : this(options, time, logger, OutboxFiles.Real)
    {
    }

    /// <summary>With <paramref name="files"/> as the way files are opened (tests imitate a power loss through it).</summary>
    internal LiteDbOutbox(OutboxOptions options, TimeProvider time, ILogger<LiteDbOutbox> logger, OutboxFiles files)
    {
        if (options.CompactWindowSeconds < 0 || (options.CompactWindowSeconds > 0 && 60 % options.CompactWindowSeconds != 0))
        {
            throw new ArgumentException($"outbox compaction window {options.CompactWindowSeconds} s must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), or be 0 for none", nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;
        _files = files;
        _commands = Channel.CreateBounded<OutboxCommand>(new BoundedChannelOptions(options.CommandQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = new Thread(WriterLoop) { Name = "outbox-writer", IsBackground = true };
        _writer.Start();

        // Opening (and recovery) runs on the writer thread too; surface its failure here.
        _opened.Task.GetAwaiter().GetResult();
    }

    public ulong LastDurableSequence => (ulong)Interlocked.Read(ref _lastDurable);

    public ulong LastAcknowledgedSequence => (ulong)Interlocked.Read(ref _lastAcknowledged);

    public string Epoch => _epoch;

    public string DatabasePath => Path.Combine(_options.Directory, "outbox.db");

    public string LogPath => Path.Combine(_options.Directory, "outbox-log.db");

    public string JournalDirectory => Path.Combine(_options.Directory, "journal");

    public ValueTask<ulong> AppendAsync(OutboxBatch batch, CancellationToken cancellationToken) =>
        PostAsync(new AppendCommand(batch), cancellationToken);

    public ValueTask<IReadOnlyList<StoredBatch>> ReadAsync(ulong afterSequence, int maxCount, CancellationToken cancellationToken)
    {
        // The sync client's usual read (the newest batches) is served from the memory tail on
        // this thread; a read into a backlog in LiteDB goes to the writer thread.
        ThrowIfFaulted();
        return TryReadTail(afterSequence, maxCount, handOut: true, out var found)
            ? ValueTask.FromResult(found)
            : PostAsync(new ReadCommand(afterSequence, maxCount), cancellationToken);
    }

    public async ValueTask ProbeAsync(CancellationToken cancellationToken) =>
        await PostAsync(new ReadCommand(LastAcknowledgedSequence, 1, handOut: false), cancellationToken);

    public ValueTask AcknowledgeAsync(ulong sequence, CancellationToken cancellationToken)
    {
        // Only batches in the memory tail: done here, without waking the writer thread.
        ThrowIfFaulted();
        return TryAcknowledgeTail(sequence) ? ValueTask.CompletedTask : PostAcknowledgeAsync(sequence, cancellationToken);
    }

    private async ValueTask PostAcknowledgeAsync(ulong sequence, CancellationToken cancellationToken) =>
        await PostAsync(new AcknowledgeCommand(sequence), cancellationToken);

    public async ValueTask EnsureSequenceAboveAsync(ulong sequence, CancellationToken cancellationToken) =>
        await PostAsync(new EnsureAboveCommand(sequence), cancellationToken);

    public async ValueTask RenumberAboveAsync(ulong sequence, CancellationToken cancellationToken) =>
        await PostAsync(new EnsureAboveCommand(sequence, renumberAll: true), cancellationToken);

    public async Task WaitForSequenceAsync(ulong sequence, CancellationToken cancellationToken)
    {
        while (LastDurableSequence < sequence)
        {
            Task changed;
            lock (_waitersLock)
            {
                changed = _durableChanged.Task;
            }

            if (LastDurableSequence >= sequence)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public OutboxStats GetStats()
    {
        var storeBytes = File.Exists(DatabasePath) ? new FileInfo(DatabasePath).Length : 0;
        return new OutboxStats(
            Interlocked.Read(ref _storedBatches),
            Interlocked.Read(ref _storedPoints),
            Volatile.Read(ref _journalBytes),
            storeBytes,
            LastDurableSequence,
            LastAcknowledgedSequence,
            Interlocked.Read(ref _droppedBatches),
            Interlocked.Read(ref _droppedPoints),
            Interlocked.Read(ref _compactedBatches),
            Interlocked.Read(ref _compactedPoints),
            Interlocked.Read(ref _expiredPoints),
            Interlocked.Read(ref _storeSetAsides),
            Interlocked.Read(ref _setAsideBytes));
    }

    public void Dispose()
    {
        _commands.Writer.TryComplete();
        WakeWriter();
        _writer.Join();
    }

    private void ThrowIfFaulted()
    {
        if (_fault is not null)
        {
            throw new InvalidOperationException("the outbox stopped after a storage failure", _fault);
        }
    }

    private async ValueTask<T> PostAsync<T>(OutboxCommand<T> command, CancellationToken cancellationToken)
    {
        ThrowIfFaulted();

        await _commands.Writer.WriteAsync(command, cancellationToken);

        // The command is in the channel now (a cancelled write threw above and queued nothing).
        WakeWriter();
        return await command.Completion.Task.WaitAsync(cancellationToken);
    }

    private void SignalDurable()
    {
        lock (_waitersLock)
        {
            _durableChanged.TrySetResult();
            _durableChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
