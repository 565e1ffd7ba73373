using EdgeCloud.Packaging.Tests.Infrastructure;

namespace EdgeCloud.Packaging.Tests.Deb;

/// <summary>
/// An empty system for <c>dpkg --root</c>: a dpkg admin folder with an empty status database and
/// the account files a fresh Debian has (root, and group dialout with gid 20). dpkg runs the
/// maintainer scripts without chroot (<c>--force-script-chrootless</c>) and sets DPKG_ROOT for
/// them, so nothing outside the folder changes. Dependencies are not installed here, hence
/// <c>--force-depends</c>.
/// </summary>
public sealed class ThrowawayRoot
{
    private ThrowawayRoot(string path) => Path = path;

    /// <summary>The root folder.</summary>
    public string Path { get; }

    /// <summary>Creates the skeleton under <paramref name="path"/>.</summary>
    public static ThrowawayRoot Create(string path)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(path, "var", "lib", "dpkg", "info"));
        Directory.CreateDirectory(System.IO.Path.Combine(path, "var", "lib", "dpkg", "updates"));
        File.WriteAllText(System.IO.Path.Combine(path, "var", "lib", "dpkg", "status"), "");
        var etc = Directory.CreateDirectory(System.IO.Path.Combine(path, "etc")).FullName;
        File.WriteAllText(System.IO.Path.Combine(etc, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(System.IO.Path.Combine(etc, "shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(System.IO.Path.Combine(etc, "group"), "root:x:0:\ndialout:x:20:\n");
        File.WriteAllText(System.IO.Path.Combine(etc, "gshadow"), "root:*::\ndialout:*::\n");
        return new ThrowawayRoot(path);
    }

    /// <summary>Full path of <paramref name="absolute"/> (an absolute path inside the root).</summary>
    public string this[string absolute] => System.IO.Path.Combine(Path, absolute.TrimStart('/'));

    /// <summary>Runs dpkg on this root with the given action, e.g. <c>-i file.deb</c> or <c>--purge edge-agent</c>.</summary>
    public async Task<ProcessResult> DpkgAsync(params string[] action) =>
        (await ProcessRunner.RunAsync("dpkg", [$"--root={Path}", "--force-script-chrootless", "--force-depends", "--force-confold", .. action])).EnsureSuccess();

    /// <summary>The root's passwd line for <paramref name="user"/>, or null.</summary>
    public string? PasswdLine(string user) => Line("passwd", user);

    /// <summary>The root's group line for <paramref name="group"/>, or null.</summary>
    public string? GroupLine(string group) => Line("group", group);

    /// <summary>dpkg's state of <paramref name="package"/> in this root (e.g. "install ok installed"), or null.</summary>
    public async Task<string?> PackageStatusAsync(string package)
    {
        var result = await ProcessRunner.RunAsync("dpkg-query", [$"--admindir={this["/var/lib/dpkg"]}", "-W", "-f=${Status} ${Version}", package]);
        return result.ExitCode == 0 ? result.StandardOutput : null;
    }

    private string? Line(string file, string name) =>
        File.ReadAllLines(this["/etc/" + file]).SingleOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal));
}
