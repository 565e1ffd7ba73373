namespace EdgeCloud.Edge.Updates.Tests.Fixtures;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The launcher the .deb ships as the unit's ExecStart.</summary>
    public static string Launcher => Path.Combine(Root, "packaging", "deb", "edge-agent", "launcher");

    /// <summary>The edge-agent build of this repository (its own output folder: its deps and runtimeconfig, not the test host's).</summary>
    public static string AgentDll => Path.Combine(Root, "edge-agent", "src", "EdgeCloud.Edge.Agent", "bin", "Release", "net10.0", "edge-agent.dll");

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EdgeCloud.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("EdgeCloud.sln not found above " + AppContext.BaseDirectory);
    }
}
