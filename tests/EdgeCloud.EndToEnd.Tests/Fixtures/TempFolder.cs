namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>A temp folder removed at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("edgecloud-e2e-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process we killed may still be closing files; the OS temp cleaner takes the rest.
        }
    }
}
