using System.Runtime.InteropServices;

namespace EdgeCloud.Edge.Files;

/// <summary>
/// fsync of a directory. Creating, renaming or deleting a file changes its directory, and on
/// Linux that change reaches the disk only when the directory itself is synced (fsync(2)); .NET
/// cannot open a directory as a stream, hence this small interop.
/// </summary>
public static partial class DirectorySync
{
    private const int ReadOnly = 0;        // O_RDONLY
    private const int Directory = 0x10000; // O_DIRECTORY on x86-64 and arm64 Linux
    private const int CloseOnExec = 0x80000; // O_CLOEXEC

    /// <summary>Syncs <paramref name="path"/>'s entries to disk; a no-op where the OS is not Linux.</summary>
    public static void Sync(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(path, ReadOnly | Directory | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{path}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
