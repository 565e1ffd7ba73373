using System.Diagnostics;
using System.Text;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Updates.Artifacts;

namespace EdgeCloud.Edge.Updates.Install;

/// <summary>
/// Hands a firmware artifact to the installer configured for its name (<c>updates.firmwareInstallers</c>): the
/// command runs without a shell, its argv the configured list plus the artifact's path, killed (with its children)
/// at its timeout. Exit code 0 is success; the last <see cref="TailChars"/> characters of its output go into the report.
/// </summary>
internal sealed class FirmwareInstaller(UpdatesConfig config)
{
    public const int TailChars = 2000;

    public async Task<string> InstallAsync(string artifact, string name, CancellationToken cancellationToken)
    {
        if (!config.FirmwareInstallers.TryGetValue(name, out var installer))
        {
            var known = config.FirmwareInstallers.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", config.FirmwareInstallers.Keys);
            throw new RolloutRefusedException(RolloutReasons.InstallFailed, $"no installer for firmware '{name}' in updates.firmwareInstallers ({known})");
        }

        var start = new ProcessStartInfo(installer.Command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in installer.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(artifact);
        var tail = new Tail(TailChars);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => tail.Add(e.Data);
        process.ErrorDataReceived += (_, e) => tail.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new RolloutRefusedException(RolloutReasons.InstallFailed, $"firmware installer {installer.Command[0]} cannot start: {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(installer.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new RolloutRefusedException(RolloutReasons.InstallFailed, $"firmware installer {installer.Command[0]} did not finish within {installer.Timeout.TotalSeconds:0} s and was killed; output: {tail}");
        }

        // WaitForExitAsync returns after the output streams closed, so the tail is complete.
        return process.ExitCode == 0
            ? $"{installer.Command[0]} exited with 0; output: {tail}"
            : throw new RolloutRefusedException(RolloutReasons.InstallFailed, $"{installer.Command[0]} exited with {process.ExitCode}; output: {tail}");
    }

    /// <summary>The last characters of a process's output lines.</summary>
    private sealed class Tail(int max)
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _text = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lock)
            {
                _text.Append(line).Append('\n');
                if (_text.Length > max)
                {
                    _text.Remove(0, _text.Length - max);
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return _text.ToString().TrimEnd();
            }
        }
    }
}
