using System.Formats.Tar;
using System.IO.Compression;
using EdgeCloud.Edge.Updates.Artifacts;

namespace EdgeCloud.Edge.Updates.Install;

/// <summary>
/// Unpacks a verified tar.gz into a folder of its own. Only regular files, folders and relative symbolic
/// links that stay inside are taken; an absolute path, a '..' or a device entry refuses the whole package
/// (install_failed): a signed package should never hold one, and the refusal names the entry.
/// </summary>
internal static class TarPackage
{
    public static void ExtractTo(string archive, string folder)
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(folder);
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                var name = entry.Name.TrimStart('.', '/').Length == 0 ? "" : entry.Name;
                if (name.Length == 0)
                {
                    continue;
                }

                var target = Path.GetFullPath(Path.Combine(folder, name));
                if (Path.IsPathRooted(entry.Name) || !(target + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
                {
                    throw Refuse(entry.Name, "leaves the package folder");
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        entry.ExtractToFile(target, overwrite: true);
                        break;
                    case TarEntryType.SymbolicLink:
                        var pointsAt = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(target)!, entry.LinkName));
                        if (Path.IsPathRooted(entry.LinkName) || !pointsAt.StartsWith(root, StringComparison.Ordinal))
                        {
                            throw Refuse(entry.Name, $"is a link to '{entry.LinkName}' outside the package");
                        }

                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        File.CreateSymbolicLink(target, entry.LinkName);
                        break;
                    case TarEntryType.GlobalExtendedAttributes:
                        break;
                    default:
                        throw Refuse(entry.Name, $"is a {entry.EntryType} entry; a package holds files, folders and links only");
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new RolloutRefusedException(RolloutReasons.InstallFailed, $"the package is not a readable tar.gz: {ex.Message}", ex);
        }
    }

    private static RolloutRefusedException Refuse(string entry, string why) =>
        new(RolloutReasons.InstallFailed, $"package entry '{entry}' {why}");
}
