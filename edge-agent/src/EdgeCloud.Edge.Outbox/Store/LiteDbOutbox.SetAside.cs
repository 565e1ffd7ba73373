namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>
/// The damaged store recovery sets aside (<see cref="SetAsideStore"/>). A gateway that loses power
/// often would otherwise collect them until its disk fills, so: at most one is kept (the newest, for
/// inspection; older ones are deleted when a store is set aside and at every opening); it counts
/// against <see cref="OutboxOptions.MaxBytes"/>; and it is the first thing deleted when the budget or
/// the free-space reserve needs room, before any batch is compacted or dropped. It holds nothing the
/// journal does not, so deleting it never loses a batch.
/// </summary>
internal sealed partial class LiteDbOutbox
{
    private long _storeSetAsides;
    private long _setAsideBytes;
    private SetAsideStore? _keptSetAside;

    /// <summary>How often this outbox set its store aside since it was constructed (0 or 1 per opening, 2 at most).</summary>
    internal long StoreSetAsides => Interlocked.Read(ref _storeSetAsides);

    /// <summary>Bytes of the kept set-aside store (data file and log); 0 when none is kept.</summary>
    internal long SetAsideBytes => Interlocked.Read(ref _setAsideBytes);

    /// <summary>
    /// A damaged store is set aside, not deleted: the journal still holds every batch the hub has
    /// not acknowledged, and the old file stays for inspection (replacing an older one).
    /// </summary>
    private void SetStoreAside(Exception error)
    {
        CloseStreams();
        if (!File.Exists(DatabasePath))
        {
            return;
        }

        var now = _time.GetUtcNow();
        var aside = Path.Combine(_options.Directory, SetAsideStore.NameFor(now, 1));
        for (var n = 2; File.Exists(aside) || File.Exists(aside + "-log"); n++)
        {
            aside = Path.Combine(_options.Directory, SetAsideStore.NameFor(now, n));
        }

        LogStoreDamaged(_logger, DatabasePath, aside, error);
        File.Move(DatabasePath, aside);
        if (File.Exists(LogPath))
        {
            File.Move(LogPath, aside + "-log");
        }

        Interlocked.Increment(ref _storeSetAsides);

        // Named by the wall clock, which may have jumped back since an older one was set aside:
        // the one just made is the one kept, whatever the names say.
        KeepOneSetAside(aside);
    }

    /// <summary>
    /// Deletes every set-aside store but <paramref name="keep"/> (null: the newest by the time in its
    /// name) and counts the kept one's size against the budget.
    /// </summary>
    private void KeepOneSetAside(string? keep)
    {
        var stores = SetAsideStore.Find(_options.Directory);
        keep ??= stores.Count > 0 ? stores[0].Path : null;
        SetAsideStore? kept = null;
        foreach (var store in stores)
        {
            if (store.Path == keep)
            {
                kept = store;
            }
            else if (DeleteSetAside(store))
            {
                LogSetAsideSuperseded(_logger, store.Path, store.Bytes);
            }
        }

        _keptSetAside = kept;
        Interlocked.Exchange(ref _setAsideBytes, kept?.Bytes ?? 0);
    }

    /// <summary>
    /// Deletes the kept set-aside store to make room (<paramref name="reason"/>); true when there was
    /// one. One that cannot be deleted no longer counts against the budget: batches are not dropped
    /// to make room for a file someone keeps on purpose.
    /// </summary>
    private bool ReleaseSetAside(string reason)
    {
        if (_keptSetAside is not { } store)
        {
            return false;
        }

        if (DeleteSetAside(store))
        {
            LogSetAsideReleased(_logger, store.Path, store.Bytes, reason);
        }

        _keptSetAside = null;
        Interlocked.Exchange(ref _setAsideBytes, 0);
        return true;
    }

    private bool DeleteSetAside(SetAsideStore store)
    {
        try
        {
            // Not synced: a delete a power loss undoes is done again at the next opening.
            _files.Delete(store.Path);
            _files.Delete(store.LogPath);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Someone made it read-only to keep it, or the disk failed: the outbox works on without
            // the room, and the budget then frees it from batches as before.
            LogSetAsideNotDeleted(_logger, store.Path, ex);
            return false;
        }
    }
}
