namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// A file stream for LiteDB whose flushes reach the OS but never force the disk. LiteDB's own
/// fsyncs (its log writer syncs after every commit, on a thread of its own) bring it no durability
/// it can promise (it returns from Commit before they run) but they compete with the journal's
/// fsync for the disk. Durability is the journal's job (<see cref="Journal.DurableJournal"/>): it
/// holds every batch the hub has not acknowledged, so LiteDB's file is a rebuildable index.
/// </summary>
internal sealed class UnsyncedFileStream(string path, OutboxFiles files) : Stream
{
    private readonly FileStream _inner = files.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 8192);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    /// <summary>Empties .NET's buffer into the OS page cache; never fsyncs.</summary>
    public override void Flush() => _inner.Flush(flushToDisk: false);

    /// <summary>fsync(2): for the rare state change that must survive a power loss.</summary>
    public void FlushToDisk() => _inner.Flush(flushToDisk: true);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override void SetLength(long value) => _inner.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _inner.Write(buffer);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
