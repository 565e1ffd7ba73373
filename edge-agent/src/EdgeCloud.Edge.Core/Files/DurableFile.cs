namespace EdgeCloud.Edge.Files;

/// <summary>
/// Replaces a small file so that a crash or a power loss leaves either the old or the new
/// content, never a mix: write a temp file beside it, fsync it, rename it over the target, fsync
/// the directory (the rename is durable only then). Used for state that must survive power loss:
/// the alarm journal, the agent's identity, the hub's keys.
/// </summary>
public static class DurableFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes what <paramref name="write"/> puts into the stream to <paramref name="path"/> atomically;
    /// with <paramref name="ownerOnly"/> the file is readable by its owner only (mode 0600) from its creation on.
    /// </summary>
    public static void Write(string path, Action<Stream> write, bool ownerOnly = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temp, options))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            // A temp file left by an earlier crash keeps its old mode: set it again.
            File.SetUnixFileMode(temp, OwnerOnly);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Sync(directory);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically; see <see cref="Write"/>.</summary>
    public static void WriteText(string path, string text, bool ownerOnly = false) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        }, ownerOnly);
}
