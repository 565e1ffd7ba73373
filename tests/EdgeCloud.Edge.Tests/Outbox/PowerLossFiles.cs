using EdgeCloud.Edge.Outbox;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>
/// Imitates a disk with a volatile write cache that honours fsync, under the outbox's files, and
/// the power going off. Files are real files; this layer keeps, per file the outbox opened, its
/// durable content (as of its last <c>Flush(flushToDisk: true)</c>, i.e. fsync(2)) and the writes
/// and truncations made since (which sit in the page cache / drive cache). A file's directory entry
/// is durable once its directory was synced after it was created (the journal does that); a delete
/// is durable once the directory was synced after it. <see cref="PowerOff"/> makes every open
/// handle fail with an <see cref="IOException"/> from then on (the abandoned outbox's threads see a
/// dead disk); <see cref="PowerOn"/> rewrites each file as a disk could hold it after the reboot: the
/// durable content plus a seeded random prefix or subset of the volatile writes, in order, the last
/// kept one possibly torn (a prefix of it); a created file whose entry was never synced may vanish, a
/// deleted one whose delete was never synced may come back (with what it held). Not imitated: a
/// file deleted and created again under the same name before a sync is treated as new (its old
/// content never comes back), renames, and lies about fsync (a disk that drops flushed data).
/// Each outbox instance gets its own view (<see cref="ForInstance"/>) bound to the boot it was
/// started in: a real power loss kills the process, so a file opened, a directory synced or a
/// file deleted through the view of an instance from before a reboot is refused (and recorded in
/// <see cref="StaleActions"/>), since a thread of the abandoned instance acting on the rebooted
/// disk would be an artefact of the test that no machine can produce.
/// </summary>
internal sealed class PowerLossFiles : OutboxFiles
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly List<CutStream> _open = [];
    private readonly List<string> _stale = [];
    private bool _off;
    private int _boot;

    /// <summary>Diagnostics only: perform (still recording) what an instance from before a reboot does.</summary>
    public bool AllowStaleActions { get; init; }

    /// <summary>What instances from before a reboot tried to do after it (refused unless allowed).</summary>
    public IReadOnlyList<string> StaleActions
    {
        get
        {
            lock (_lock)
            {
                return [.. _stale];
            }
        }
    }

    /// <summary>The files as seen by an outbox instance started now: they die with this boot.</summary>
    public OutboxFiles ForInstance()
    {
        lock (_lock)
        {
            return new InstanceView(this, _boot);
        }
    }

    /// <summary>Volatile writes kept whole, lost, and kept torn over every power loss so far.</summary>
    public (int Kept, int Lost, int Torn) Writes { get; private set; }

    /// <summary>Files that vanished (entry never synced) or came back (delete never synced).</summary>
    public (int Vanished, int Resurrected) Entries { get; private set; }

    public bool IsOff
    {
        get
        {
            lock (_lock)
            {
                return _off;
            }
        }
    }

    public override FileStream Open(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize)
    {
        lock (_lock)
        {
            ThrowIfOff();
            var exists = File.Exists(path);
            var known = _files.TryGetValue(path, out var state);
            var before = exists && !known ? File.ReadAllBytes(path) : [];

            // Unbuffered, so that every write the outbox makes passes Write below at once.
            var stream = new CutStream(this, path, mode, access, share);
            if (!known || !exists)
            {
                state = new FileState(before, entryDurable: exists);
                _files[path] = state;
            }

            stream.State = state!;
            if (exists && mode is FileMode.Create or FileMode.Truncate)
            {
                state!.Pending.Add(new Change(0, null, 0));
            }

            _open.Add(stream);
            return stream;
        }
    }

    public override void SyncDirectory(string path)
    {
        lock (_lock)
        {
            ThrowIfOff();
            base.SyncDirectory(path);
            var full = Path.GetFullPath(path);
            foreach (var file in _files.Keys.Where(f => Path.GetDirectoryName(Path.GetFullPath(f)) == full).ToList())
            {
                if (File.Exists(file))
                {
                    _files[file].EntryDurable = true;
                }
                else
                {
                    _files.Remove(file);
                }
            }
        }
    }

    /// <summary>The power goes off: every handle opened so far fails from now on.</summary>
    public void PowerOff()
    {
        lock (_lock)
        {
            _off = true;
            foreach (var stream in _open)
            {
                stream.Kill();
            }

            _open.Clear();
        }
    }

    /// <summary>The machine boots again: each file holds what the disk could hold (see the class).</summary>
    public void PowerOn(Random random)
    {
        lock (_lock)
        {
            _boot++;
            var prefixOnly = random.Next(2) == 0;
            foreach (var (path, state) in _files.ToList())
            {
                var exists = File.Exists(path);
                var survives = state.EntryDurable && exists || random.Next(2) == 0;
                if (!survives)
                {
                    File.Delete(path);
                    _files.Remove(path);
                    Entries = (Entries.Vanished + 1, Entries.Resurrected);
                    continue;
                }

                if (!exists)
                {
                    Entries = (Entries.Vanished, Entries.Resurrected + 1);
                }

                var content = new MemoryStream();
                content.Write(state.Durable);
                var keep = prefixOnly ? random.Next(state.Pending.Count + 1) : state.Pending.Count;
                for (var i = 0; i < state.Pending.Count; i++)
                {
                    var change = state.Pending[i];
                    if (i >= keep || (!prefixOnly && random.Next(2) == 0))
                    {
                        Writes = (Writes.Kept, Writes.Lost + 1, Writes.Torn);
                        continue;
                    }

                    if (change.Data is null)
                    {
                        content.SetLength(change.Length);
                        continue;
                    }

                    // The last kept write of a prefix, or any kept write of a subset, may be torn.
                    var torn = (!prefixOnly || i == keep - 1) && change.Data.Length > 1 && random.Next(4) == 0;
                    var length = torn ? random.Next(1, change.Data.Length) : change.Data.Length;
                    content.Position = change.Offset;
                    content.Write(change.Data, 0, length);
                    Writes = torn ? (Writes.Kept, Writes.Lost, Writes.Torn + 1) : (Writes.Kept + 1, Writes.Lost, Writes.Torn);
                }

                state.Durable = content.ToArray();
                state.Pending.Clear();
                state.EntryDurable = true;
                File.WriteAllBytes(path, state.Durable);
            }

            _off = false;
        }
    }

    public override void Delete(string path)
    {
        lock (_lock)
        {
            ThrowIfOff();
            File.Delete(path);
        }
    }

    /// <summary>Refuses (or, for diagnostics, records) an action of an instance from an earlier boot.</summary>
    private void CheckBoot(int boot, string action)
    {
        if (boot == _boot)
        {
            return;
        }

        var what = $"instance from boot {boot} after reboot {_boot}: {action}";
        _stale.Add($"{what} at {Environment.StackTrace}");
        if (!AllowStaleActions)
        {
            throw new IOException($"power loss (simulated): {what} refused, its process died with the power");
        }
    }

    private void ThrowIfOff()
    {
        if (_off)
        {
            throw new IOException("power loss (simulated): the disk is gone");
        }
    }

    /// <summary>One outbox instance's files: every call is checked against the boot it started in.</summary>
    private sealed class InstanceView(PowerLossFiles owner, int boot) : OutboxFiles
    {
        public override FileStream Open(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize)
        {
            lock (owner._lock)
            {
                owner.CheckBoot(boot, $"open {Path.GetFileName(path)} {mode}");
                return owner.Open(path, mode, access, share, bufferSize);
            }
        }

        public override void SyncDirectory(string path)
        {
            lock (owner._lock)
            {
                owner.CheckBoot(boot, $"sync directory {Path.GetFileName(path)}");
                owner.SyncDirectory(path);
            }
        }

        public override void Delete(string path)
        {
            lock (owner._lock)
            {
                owner.CheckBoot(boot, $"delete {Path.GetFileName(path)}");
                owner.Delete(path);
            }
        }
    }

    /// <summary>A change since the last fsync: Data written at Offset, or (Data null) a new Length.</summary>
    private sealed record Change(long Offset, byte[]? Data, long Length);

    private sealed class FileState(byte[] durable, bool entryDurable)
    {
        public byte[] Durable { get; set; } = durable;

        public bool EntryDurable { get; set; } = entryDurable;

        public List<Change> Pending { get; } = [];

        public void Sync()
        {
            var content = new MemoryStream();
            content.Write(Durable);
            foreach (var change in Pending)
            {
                if (change.Data is null)
                {
                    content.SetLength(change.Length);
                }
                else
                {
                    content.Position = change.Offset;
                    content.Write(change.Data);
                }
            }

            Durable = content.ToArray();
            Pending.Clear();
        }
    }

    /// <summary>A real file stream that records its writes in the layer and dies with the power.</summary>
    private sealed class CutStream(PowerLossFiles owner, string path, FileMode mode, FileAccess access, FileShare share)
        : FileStream(path, mode, access, share, bufferSize: 0)
    {
        private bool _dead;

        public FileState State { get; set; } = null!;

        public override long Length
        {
            get
            {
                lock (owner._lock)
                {
                    ThrowIfDead();
                    return base.Length;
                }
            }
        }

        public override long Position
        {
            get
            {
                lock (owner._lock)
                {
                    ThrowIfDead();
                    return base.Position;
                }
            }

            set
            {
                lock (owner._lock)
                {
                    ThrowIfDead();
                    base.Position = value;
                }
            }
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            lock (owner._lock)
            {
                ThrowIfDead();
                return base.Seek(offset, origin);
            }
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            lock (owner._lock)
            {
                ThrowIfDead();
                return base.Read(buffer, offset, count);
            }
        }

        public override int Read(Span<byte> buffer)
        {
            lock (owner._lock)
            {
                ThrowIfDead();
                return base.Read(buffer);
            }
        }

        public override int ReadByte()
        {
            var one = new byte[1];
            return Read(one, 0, 1) == 1 ? one[0] : -1;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (owner._lock)
            {
                ThrowIfDead();
                var at = base.Position;
                base.Write(buffer, offset, count);
                State.Pending.Add(new Change(at, buffer.AsSpan(offset, count).ToArray(), 0));
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void WriteByte(byte value) => Write([value], 0, 1);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void SetLength(long value)
        {
            lock (owner._lock)
            {
                ThrowIfDead();
                base.SetLength(value);
                State.Pending.Add(new Change(0, null, value));
            }
        }

        public override void Flush(bool flushToDisk)
        {
            lock (owner._lock)
            {
                ThrowIfDead();
                base.Flush(flushToDisk);
                if (flushToDisk)
                {
                    State.Sync();
                }
            }
        }

        public override void Flush() => Flush(flushToDisk: false);

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flush();
            return Task.CompletedTask;
        }

        /// <summary>The power went off: close the real handle; every later call fails.</summary>
        public void Kill()
        {
            if (_dead)
            {
                return;
            }

            try
            {
                base.Dispose(true);
            }
            catch (IOException)
            {
                // Nothing buffered (the stream is unbuffered); a close error changes nothing here.
            }

            _dead = true;
        }

        protected override void Dispose(bool disposing)
        {
            lock (owner._lock)
            {
                if (!_dead)
                {
                    base.Dispose(disposing);
                    _dead = true;
                    owner._open.Remove(this);
                }
            }
        }

        private void ThrowIfDead()
        {
            if (_dead)
            {
                throw new IOException("power loss (simulated): the disk is gone");
            }
        }
    }
}
