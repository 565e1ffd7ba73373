using System.Buffers;

namespace EdgeCloud.Edge.Outbox.Journal;

/// <summary>
/// The outbox's durability barrier: an append-only journal of segment files, fsynced once per
/// group of batches before any of them is reported durable. LiteDB 5 does not fsync its commits
/// (its log writer syncs later, on its own thread), so LiteDB alone cannot promise that an
/// acknowledged batch survives a power loss; this journal can. A segment is kept until every
/// batch in it was acknowledged by the hub, so recovery never depends on LiteDB's file being
/// intact. Not thread-safe: only the outbox's writer thread calls it.
/// </summary>
internal sealed class DurableJournal : IDisposable
{
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly OutboxFiles _files;
    private readonly List<JournalSegment> _segments = [];
    private FileStream? _active;

    public DurableJournal(string directory, long segmentBytes, OutboxFiles files)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _files = files;
        Directory.CreateDirectory(directory);
    }

    /// <summary>Bytes held by every segment.</summary>
    public long TotalBytes => _segments.Sum(s => s.Length);

    /// <summary>Number of segment files.</summary>
    public int SegmentCount => _segments.Count;

    /// <summary>
    /// Reads every intact record in sequence order. A torn tail of the newest segment (a power
    /// loss mid-append: that group was never reported durable) is cut off; damage anywhere else is
    /// reported in <paramref name="damagedSegments"/> and that segment's remainder is skipped.
    /// </summary>
    public List<StoredBatch> Recover(out int damagedSegments, out long tornBytes)
    {
        damagedSegments = 0;
        tornBytes = 0;
        var records = new List<StoredBatch>();
        var files = Directory.GetFiles(_directory, "*.seg").Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(files[i]);
            if (!ulong.TryParse(name, out var first))
            {
                continue;
            }

            var segment = new JournalSegment(files[i], first);
            var bytes = File.ReadAllBytes(files[i]);
            var offset = 0;
            while (JournalRecord.TryRead(bytes.AsSpan(offset), out var batch, out var consumed))
            {
                records.Add(batch!);
                segment.LastSequence = Math.Max(segment.LastSequence, batch!.Sequence);
                offset += consumed;
            }

            if (offset < bytes.Length)
            {
                if (i == files.Count - 1)
                {
                    tornBytes = bytes.Length - offset;
                    using var fs = _files.Open(files[i], FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 4096);
                    fs.SetLength(offset);
                    fs.Flush(flushToDisk: true);
                }
                else
                {
                    damagedSegments++;
                }
            }

            segment.Length = offset;
            _segments.Add(segment);
        }

        return records;
    }

    /// <summary>Appends a group of batches and fsyncs once; returns only when they are on disk.</summary>
    public void Append(IReadOnlyList<(ulong Sequence, OutboxBatch Batch)> group)
    {
        if (group.Count == 0)
        {
            return;
        }

        var size = group.Sum(g => JournalRecord.SizeOf(g.Batch.Payload.Length));
        var active = EnsureActive(group[0].Sequence);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var offset = 0;
            foreach (var (sequence, batch) in group)
            {
                var length = JournalRecord.SizeOf(batch.Payload.Length);
                JournalRecord.Write(buffer.AsSpan(offset, length), sequence, batch);
                offset += length;
            }

            try
            {
                _active!.Write(buffer, 0, size);

                // The barrier: fsync(2) on the segment. Flush(true) also empties .NET's own buffer first.
                _active.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // A partial append (disk full) must not stay in front of later records: recovery
                // stops at the first bad record, so cut the segment back to its last good byte.
                _active!.Dispose();
                _active = null;
                using var fs = _files.Open(active.Path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 4096);
                fs.SetLength(active.Length);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        active.Length += size;
        active.LastSequence = group[^1].Sequence;
    }

    /// <summary>
    /// The lowest acknowledgement at which <see cref="ReleaseUpTo"/> deletes a segment
    /// (ulong.MaxValue while only the newest segment holds batches, which is always kept).
    /// </summary>
    public ulong ReleasableFrom
    {
        get
        {
            var from = ulong.MaxValue;
            for (var i = 0; i < _segments.Count - 1; i++)
            {
                var segment = _segments[i];
                if (segment.LastSequence >= segment.FirstSequence)
                {
                    from = Math.Min(from, segment.LastSequence);
                }
            }

            return from;
        }
    }

    /// <summary>Highest sequence the journal holds (0 when empty).</summary>
    public ulong LastSequence => _segments.Count == 0 ? 0 : _segments.Max(s => s.LastSequence);

    /// <summary>
    /// Deletes every segment whose batches the hub has all acknowledged, except the newest one:
    /// it keeps the sequence high-water mark on disk, so that a power loss that also loses
    /// LiteDB's recent writes can never make the sequence counter go back (a reused sequence
    /// would be dropped by the hub as a duplicate).
    /// </summary>
    public void ReleaseUpTo(ulong acknowledged)
    {
        var removed = false;
        for (var i = _segments.Count - 2; i >= 0; i--)
        {
            var segment = _segments[i];
            if (segment.LastSequence > acknowledged || segment.LastSequence < segment.FirstSequence)
            {
                continue;
            }

            _files.Delete(segment.Path);
            _segments.RemoveAt(i);
            removed = true;
        }

        if (removed)
        {
            _files.SyncDirectory(_directory);
        }
    }

    public void Dispose() => _active?.Dispose();

    private JournalSegment EnsureActive(ulong nextSequence)
    {
        var current = _segments.Count > 0 ? _segments[^1] : null;
        if (current is not null && _active is not null && current.Length < _segmentBytes)
        {
            return current;
        }

        if (current is not null && _active is null && current.Length < _segmentBytes && current.LastSequence + 1 == nextSequence)
        {
            // Reopen the newest segment after a restart and keep appending to it.
            _active = _files.Open(current.Path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
            return current;
        }

        _active?.Dispose();
        var segment = new JournalSegment(System.IO.Path.Combine(_directory, JournalSegment.FileName(nextSequence)), nextSequence);
        _active = _files.Open(segment.Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);

        // The new file's directory entry must be durable too, or a power loss could lose the file.
        _files.SyncDirectory(_directory);
        _segments.Add(segment);
        return segment;
    }
}
