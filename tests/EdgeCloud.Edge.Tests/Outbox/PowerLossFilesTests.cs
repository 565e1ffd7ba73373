namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>The power-loss layer itself: an outbox instance from before a reboot cannot touch the rebooted disk.</summary>
public sealed class PowerLossFilesTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("edge-powerloss-");

    [Fact]
    public void ViewFromBeforeReboot_OpenSyncAndDeleteAreRefusedAndRecorded_WhileANewViewWorks()
    {
        var files = new PowerLossFiles();
        var path = Path.Combine(_folder.FullName, "a.seg");
        var before = files.ForInstance();
        using (var stream = before.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0))
        {
            stream.Write(new byte[] { 1, 2, 3 });
            stream.Flush(flushToDisk: true);
        }

        before.SyncDirectory(_folder.FullName);
        files.PowerOff();
        files.PowerOn(new Random(1));

        var open = Assert.Throws<IOException>(() => before.Open(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0));
        Assert.Contains("boot 0 after reboot 1", open.Message);
        Assert.Throws<IOException>(() => before.Delete(path));
        Assert.Throws<IOException>(() => before.SyncDirectory(_folder.FullName));
        Assert.Equal(3, files.StaleActions.Count);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));

        var after = files.ForInstance();
        using (var stream = after.Open(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0))
        {
            stream.SetLength(1);
        }

        after.Delete(path);
        Assert.False(File.Exists(path));
        Assert.Equal(3, files.StaleActions.Count);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
