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
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            // A temp file left by an earlier crash keeps its old mode: set it again.
            File.SetUnixFileMode(temp, OwnerOnly);
        }

        File.Move(temp, path, overwrite: true);
    }
}
