using EdgeCloud.Edge.Files;
namespace EdgeCloud.Hub.Fleet.Identity;

/// <summary>Reads and writes the hub's secrets: created with mode 0600 (0700 for folders), replaced atomically.</summary>
internal static class SecretFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void EnsureFolder(string path)
    {
        if (!Directory.Exists(path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> to a new temp file readable by the owner only, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        // Temp file, fsync, rename, directory fsync: the old or the new file after a power loss.
        DurableFile.WriteText(path, text, ownerOnly: true);
    }
}
