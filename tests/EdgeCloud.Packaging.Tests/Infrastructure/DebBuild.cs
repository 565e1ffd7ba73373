namespace EdgeCloud.Packaging.Tests.Infrastructure;

/// <summary>
/// Builds .deb files through the packaging project's Deb target (self-contained publish, build-deb.sh), as
/// `dotnet msbuild packaging/EdgeCloud.Packaging.proj -t:Deb` does, gzip-compressed (xz takes longer than the
/// publish and changes nothing a test looks at). One build at a time: the fixtures of this assembly run in
/// parallel, and two publishes restoring the same projects at once collide on their obj/project.assets.json.
/// </summary>
internal static class DebBuild
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>Writes <c>{artifacts}/packages/{app}_{version}_{debarch}.deb</c> (and leaves <c>{artifacts}/publish</c>); <paramref name="timeout"/> counts from this build's start, not the wait.</summary>
    public static async Task RunAsync(string app, string rid, string version, string artifactsDir, TimeSpan timeout)
    {
        await OneAtATime.WaitAsync();
        try
        {
            await BuildAsync(app, rid, version, artifactsDir, timeout);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static async Task BuildAsync(string app, string rid, string version, string artifactsDir, TimeSpan timeout)
    {
        var build = await ProcessRunner.RunAsync(
            "dotnet",
            [
                "msbuild", Path.Combine(RepoPaths.Packaging, "EdgeCloud.Packaging.proj"), "-t:Deb", "-nologo", "-v:m",
                $"-p:RuntimeIdentifiers={rid}", $"-p:Apps={app}", $"-p:Version={version}",
                $"-p:ArtifactsDir={artifactsDir}", "-p:DebCompression=gzip",
            ],
            new Dictionary<string, string?>
            {
                // Set by the test host's own MSBuild; a nested build must find its SDK itself.
                ["MSBuildSDKsPath"] = null,
                ["MSBUILD_EXE_PATH"] = null,
                ["MSBuildExtensionsPath"] = null,
            },
            timeout,
            RepoPaths.Root);
        build.EnsureSuccess();
    }
}
