using System.Globalization;

namespace EdgeCloud.LoadTool;

/// <summary>
/// A process's resident memory split by kind (/proc/[pid]/status and smaps_rollup), and by what holds it
/// (/proc/[pid]/smaps, one entry per mapping).
/// </summary>
internal static class MemoryMap
{
    private const long Mib = 1024 * 1024;

    /// <summary>glibc's malloc arenas other than the main one are mmap'd 64 MiB blocks, aligned to their size (HEAP_MAX_SIZE).</summary>
    private const long ArenaSize = 64 * Mib;

    /// <summary>Resident bytes now: all, anonymous, file-backed, shared memory (VmRSS = RssAnon + RssFile + RssShmem), and
    /// the proportional share of the file-backed part (Pss_File: pages shared with other processes count in part).</summary>
    public static Resident Sample(int pid)
    {
        var status = Fields($"/proc/{pid}/status");
        var rollup = Fields($"/proc/{pid}/smaps_rollup");
        return new Resident(status["VmRSS"], status["RssAnon"], status["RssFile"], status["RssShmem"], rollup.GetValueOrDefault("Pss_File"), (int)status["Threads"]);
    }

    /// <summary>
    /// Resident bytes per holder, largest first. Anonymous memory has no name, so it is told apart by shape: the GC's
    /// reserved range (≥ 1 GiB, regions), malloc arenas (64 MiB aligned blocks), thread stacks (a small inaccessible guard
    /// just below), and the rest (the runtime's own bookkeeping). A heuristic: the figures say where to look, not more.
    /// </summary>
    public static List<(string Holder, long Bytes)> Breakdown(int pid)
    {
        var maps = Parse(File.ReadAllLines($"/proc/{pid}/smaps"));
        var holders = new Dictionary<string, long>();
        for (var i = 0; i < maps.Count; i++)
        {
            var map = maps[i];
            if (map.Rss == 0)
            {
                continue;
            }

            var holder = Holder(maps, i);
            holders[holder] = holders.GetValueOrDefault(holder) + map.Rss;
        }

        return [.. holders.Select(h => (h.Key, h.Value)).OrderByDescending(h => h.Value)];
    }

    private static string Holder(List<Mapping> maps, int i)
    {
        var map = maps[i];
        switch (map.Path)
        {
            case "[heap]":
                return "anonymous: malloc main arena ([heap])";
            case "[stack]":
                return "anonymous: thread stacks";
            case var memfd when memfd.StartsWith("/memfd:doublemapper", StringComparison.Ordinal):
                return "shared memory: JIT code and loader heaps (W^X double mapping)";
            case var file when file.StartsWith('/'):
                var name = Path.GetFileName(file);
                return name switch
                {
                    "libcoreclr.so" or "libclrjit.so" or "libSystem.Native.so" => $"file: {name}",
                    _ when name.EndsWith(".dll", StringComparison.Ordinal) => "file: assemblies (.dll)",
                    _ when name.Contains(".so", StringComparison.Ordinal) => "file: other native libraries",
                    _ => $"file: {name}",
                };
            case "":
                break;
            default:
                return $"other: {map.Path}";
        }

        if (InLargeReservation(maps, i))
        {
            return "anonymous: GC heap and its bookkeeping (reserved range ≥ 1 GiB)";
        }

        var arenaStart = map.Start - (map.Start % ArenaSize);
        if (maps.Any(m => m.Path.Length == 0 && m.Start == arenaStart && m.End - m.Start <= ArenaSize) && maps.Any(m => m.Path.Length == 0 && m.End == arenaStart + ArenaSize && m.Start >= arenaStart))
        {
            return "anonymous: malloc arenas (64 MiB blocks)";
        }

        if (i > 0 && maps[i - 1].End == map.Start && maps[i - 1].Path.Length == 0 && !maps[i - 1].Readable && maps[i - 1].End - maps[i - 1].Start <= 64 * 1024 && map.End - map.Start <= 16 * Mib)
        {
            return "anonymous: thread stacks";
        }

        return "anonymous: other (runtime bookkeeping, native allocations by mmap)";
    }

    /// <summary>Whether mapping <paramref name="i"/> is part of a run of adjacent anonymous mappings spanning ≥ 1 GiB.</summary>
    private static bool InLargeReservation(List<Mapping> maps, int i)
    {
        var (first, last) = (i, i);
        while (first > 0 && maps[first - 1].Path.Length == 0 && maps[first - 1].End == maps[first].Start)
        {
            first--;
        }

        while (last + 1 < maps.Count && maps[last + 1].Path.Length == 0 && maps[last + 1].Start == maps[last].End)
        {
            last++;
        }

        return maps[last].End - maps[first].Start >= 1024 * Mib;
    }

    private static List<Mapping> Parse(string[] lines)
    {
        var maps = new List<Mapping>();
        foreach (var line in lines)
        {
            // A mapping's header: "start-end perms offset dev inode [path]"; its fields follow ("Rss:   12 kB").
            var first = line.Split(' ', 2)[0];
            var dash = first.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && IsHex(first[..dash]) && IsHex(first[(dash + 1)..]))
            {
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                maps.Add(new Mapping(
                    long.Parse(first[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    long.Parse(first[(dash + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    parts[1][0] == 'r',
                    parts.Length > 5 ? parts[5].Trim() : ""));
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal) && maps.Count > 0)
            {
                maps[^1].Rss = Kib(line);
            }
        }

        return maps;
    }

    private static bool IsHex(string text) => text.Length > 0 && text.All(Uri.IsHexDigit);

    private static Dictionary<string, long> Fields(string path)
    {
        var fields = new Dictionary<string, long>();
        foreach (var line in File.ReadAllLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var words = line[(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (colon > 0 && words.Length is 1 or 2 && long.TryParse(words[0], CultureInfo.InvariantCulture, out var value))
            {
                // "kB" values in bytes; plain counts (Threads) as they are.
                fields[line[..colon]] = words.Length == 2 ? value * 1024 : value;
            }
        }

        return fields;
    }

    private static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    private sealed record Mapping(long Start, long End, bool Readable, string Path)
    {
        public long Rss { get; set; }
    }

    /// <summary>Resident bytes by kind, and the thread count.</summary>
    public sealed record Resident(long Rss, long Anonymous, long File, long Shmem, long PssFile, int Threads);
}
