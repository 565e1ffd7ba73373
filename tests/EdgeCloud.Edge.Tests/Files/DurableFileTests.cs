using EdgeCloud.Edge.Files;

namespace EdgeCloud.Edge.Tests.Files;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DurableFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edge-durable-").FullName;

    [Fact]
    public void WriteText_OwnerOnly_ReplacesTheFileWithMode0600AndLeavesNoTemp()
    {
        var path = Path.Combine(_folder, "agent.pem");
        File.WriteAllText(path, "old");
        File.WriteAllText(path + ".tmp", "left by a crash");
        File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        DurableFile.WriteText(path, "new", ownerOnly: true);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Write_WriterThrows_TargetKeepsItsOldContent()
    {
        var path = Path.Combine(_folder, "alarms.json");
        File.WriteAllText(path, "{\"old\":true}");

        Assert.Throws<InvalidOperationException>(() => DurableFile.Write(path, stream =>
        {
            stream.WriteByte((byte)'{');
            throw new InvalidOperationException("serializer failed halfway");
        }));

        Assert.Equal("{\"old\":true}", File.ReadAllText(path));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
