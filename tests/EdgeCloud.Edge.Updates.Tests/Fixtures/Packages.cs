using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace EdgeCloud.Edge.Updates.Tests.Fixtures;

/// <summary>Builds artifacts as release engineering would: tar.gz packages of agent builds and models.</summary>
internal static class Packages
{
    /// <summary>A tar.gz of <paramref name="files"/> (name, content, mode).</summary>
    public static byte[] TarGz(params (string Name, string Content, UnixFileMode Mode)[] files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content, mode) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = mode,
                };
                tar.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>
    /// A tiny stand-in agent build: its <c>edge-agent</c> prints its version and exits with <paramref name="exitCode"/>
    /// (a build that crashes at start), or, with null, runs the real edge-agent build of this repository with its
    /// arguments (so the launcher, the slot switch and the agent's own trial gate all run for real).
    /// </summary>
    public static byte[] AgentBuild(string version, int? exitCode, string? configOverride = null)
    {
        var body = exitCode is { } code
            ? $"echo \"stand-in edge-agent {version} starting, then exiting with {code}\"\nexit {code}\n"
            : configOverride is null
                ? $"exec dotnet '{RepoPaths.AgentDll}' \"$@\"\n"
                : $"exec dotnet '{RepoPaths.AgentDll}' run --config '{configOverride}'\n";
        return TarGz(("edge-agent", "#!/bin/sh\n# edge-agent " + version + "\n" + body, Executable), ("VERSION", version + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    /// <summary><see cref="AgentBuild"/> running the real build, with <paramref name="padding"/> incompressible bytes beside it (a download long enough to interrupt).</summary>
    public static byte[] AgentBuildPadded(string version, int padding)
    {
        var noise = new byte[padding];
        new Random(padding).NextBytes(noise);
        return TarGz(
            ("edge-agent", $"#!/bin/sh\n# edge-agent {version}\nexec dotnet '{RepoPaths.AgentDll}' \"$@\"\n", Executable),
            ("padding.txt", Convert.ToBase64String(noise), UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }
}
