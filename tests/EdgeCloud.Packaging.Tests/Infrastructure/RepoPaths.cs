namespace EdgeCloud.Packaging.Tests.Infrastructure;

/// <summary>Locates the repository from the test's output folder (the folder holding EdgeCloud.sln).</summary>
public static class RepoPaths
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>packaging/ in the repository.</summary>
    public static string Packaging => Path.Combine(Root, "packaging");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no EdgeCloud.sln above {AppContext.BaseDirectory}");
    }
}
