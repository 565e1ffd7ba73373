using System.Diagnostics;

namespace EdgeCloud.Edge.Modbus.Tests.Peers;

/// <summary>
/// A virtual serial line: <c>socat</c> joining two raw pseudo-terminals, linked as
/// <see cref="MasterPath"/> and <see cref="DevicePath"/> in a private temp folder. Whatever one end
/// writes the other reads, like the two ends of an RS-485 cable. Dispose kills socat by its pid
/// and deletes the folder.
/// </summary>
public sealed class SocatPtyPair : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private SocatPtyPair(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    /// <summary>The end the master under test opens.</summary>
    public string MasterPath => Path.Combine(_folder, "master");

    /// <summary>The end the device (pymodbus or a fake) opens.</summary>
    public string DevicePath => Path.Combine(_folder, "device");

    public static async Task<SocatPtyPair> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("edge-rtu-").FullName;
        var start = new ProcessStartInfo("socat")
        {
            ArgumentList =
            {
                $"pty,raw,echo=0,link={Path.Combine(folder, "master")}",
                $"pty,raw,echo=0,link={Path.Combine(folder, "device")}",
            },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("socat did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var pair = new SocatPtyPair(process, folder);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!File.Exists(pair.MasterPath) || !File.Exists(pair.DevicePath))
        {
            if (process.HasExited || DateTime.UtcNow > until)
            {
                await pair.DisposeAsync();
                throw new InvalidOperationException("socat did not create its pty links");
            }

            await Task.Delay(10);
        }

        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
