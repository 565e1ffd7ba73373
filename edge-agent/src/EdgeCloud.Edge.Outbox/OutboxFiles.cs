using EdgeCloud.Edge.Files;

namespace EdgeCloud.Edge.Outbox;

/// <summary>
/// How the outbox opens its files (journal segments, LiteDB's data and log files) and syncs the
/// journal's directory, and deletes the files the writer thread removes while running (released
/// journal segments, a drained store) and the set-aside stores recovery no longer keeps. The default is the real file system; tests pass a layer
/// that imitates a power loss. Nothing else goes through here (reads of whole segments, and the
/// renames and deletes done while opening, use <see cref="File"/> directly).
/// </summary>
internal class OutboxFiles
{
    public static readonly OutboxFiles Real = new();

    public virtual FileStream Open(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize) =>
        new(path, mode, access, share, bufferSize);

    public virtual void SyncDirectory(string path) => DirectorySync.Sync(path);

    public virtual void Delete(string path) => File.Delete(path);
}
