namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>Where the repository and the built agent are, seen from the test assembly.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built with.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The agent as built next to its project (the test project references it, so it is up to date).</summary>
    public static string AgentDll => Path.Combine(Root, "edge-agent", "src", "EdgeCloud.Edge.Agent", "bin", Configuration, "net10.0", "edge-agent.dll");

    /// <summary>The hub as built next to its project.</summary>
    public static string HubDll => Path.Combine(Root, "cloud-hub", "src", "EdgeCloud.Hub.Server", "bin", Configuration, "net10.0", "cloud-hub.dll");

    public static string Peer(string script) => Path.Combine(AppContext.BaseDirectory, "Peers", script);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeCloud.sln not found above {AppContext.BaseDirectory}");
    }
}
