using System.Diagnostics;
using System.Text;

namespace EdgeCloud.LoadTool;

/// <summary>
/// The agent binary a gateway run measures, and how it is started. Either the Release build output
/// (framework-dependent, JIT at start, no environment of its own), or the form the .deb ships: the
/// self-contained ReadyToRun publish of packaging/EdgeCloud.Packaging.proj, started through the package's
/// launcher with the <c>Environment=</c> settings of the package's systemd unit, as the unit starts it. The
/// launcher exec's the agent, so the measured pid is the agent's.
/// </summary>
internal sealed class AgentBuild
{
    private const string UnitPath = "packaging/deb/edge-agent/edge-agent.service";
    private const string LauncherPath = "packaging/deb/edge-agent/launcher";

    private readonly string? _launcher;

    private AgentBuild(string binary, string? launcher, IReadOnlyList<KeyValuePair<string, string>> environment, string description)
    {
        (Binary, _launcher, Environment, Description) = (binary, launcher, environment, description);
    }

    /// <summary>The edge-agent executable (also what the device simulators run).</summary>
    public string Binary { get; }

    /// <summary>What the agent process gets on top of the tool's environment: the unit's settings, or none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; }

    public string Description { get; }

    /// <summary>The Release build output, or the binary EDGE_AGENT names.</summary>
    public static AgentBuild Built(string root)
    {
        var path = System.Environment.GetEnvironmentVariable("EDGE_AGENT")
            ?? Path.Combine(root, "edge-agent/src/EdgeCloud.Edge.Agent/bin/Release/net10.0/edge-agent");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"no agent build at {path}: run `dotnet build edge-agent/src/EdgeCloud.Edge.Agent -c Release` first (or set EDGE_AGENT to an edge-agent binary)");
        }

        return new AgentBuild(path, launcher: null, [], $"{path} (no extra environment)");
    }

    /// <summary>
    /// The shipped form. Without <paramref name="publishDir"/> the agent is published first into the folder the
    /// packaging uses (artifacts/publish/edge-agent/linux-x64), with its flags; with it, that folder is used as it is.
    /// </summary>
    public static async Task<AgentBuild> PublishedAsync(string root, string? publishDir)
    {
        var folder = Path.GetFullPath(publishDir ?? Path.Combine(root, "artifacts/publish/edge-agent/linux-x64"));
        if (publishDir is null)
        {
            // The flags of packaging/EdgeCloud.Packaging.proj (PublishFlags, ReadyToRun=true by default).
            var publish = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    "publish", Path.Combine(root, "edge-agent/src/EdgeCloud.Edge.Agent"), "-c", "Release", "-r", "linux-x64",
                    "--self-contained", "-p:PublishReadyToRun=true", "-o", folder,
                },
            };
            Console.WriteLine($"publishing the agent as the package does: dotnet {string.Join(' ', publish.ArgumentList)}");
            var output = new StringBuilder();
            using var process = Processes.Start(publish, line => output.AppendLine(line));
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):{System.Environment.NewLine}{output}");
            }
        }

        var binary = Path.Combine(folder, "edge-agent");
        if (!File.Exists(binary) || !File.Exists(Path.Combine(folder, "libcoreclr.so")))
        {
            throw new InvalidOperationException($"{folder} holds no self-contained edge-agent publish (edge-agent and libcoreclr.so)");
        }

        var unit = Path.Combine(root, UnitPath);
        var environment = UnitEnvironment(unit);
        var described = string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}"));
        return new AgentBuild(binary, Path.Combine(root, LauncherPath), environment, $"{binary} through the package's launcher, with {UnitPath}'s Environment= ({described})");
    }

    /// <summary>How to start the agent with <paramref name="arguments"/>, as the unit would (launcher, environment).</summary>
    public ProcessStartInfo StartInfo(string scratch, params string[] arguments)
    {
        var info = _launcher is null ? new ProcessStartInfo(Binary) : new ProcessStartInfo("/bin/sh") { ArgumentList = { _launcher } };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (_launcher is not null)
        {
            // The launcher's own knobs: this build instead of /usr/lib/edge-agent/current, and an empty slots folder
            // (no rollout state: the packaged build runs).
            info.Environment["EDGE_AGENT_PACKAGED"] = Binary;
            info.Environment["EDGE_AGENT_SLOTS"] = Path.Combine(scratch, "slots");
        }

        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>
    /// The variables of every <c>Environment=</c> line of a unit file, in order (a later assignment wins, as in systemd):
    /// space-separated KEY=VALUE words, a word in double quotes may hold spaces. Other quoting and specifiers (%) are refused.
    /// </summary>
    public static List<KeyValuePair<string, string>> UnitEnvironment(string unitPath)
    {
        var variables = new List<KeyValuePair<string, string>>();
        var lines = File.ReadAllLines(unitPath);
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (!line.StartsWith("Environment=", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var word in Words(line["Environment=".Length..], $"{unitPath}:{n + 1}"))
            {
                var equals = word.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new FormatException($"{unitPath}:{n + 1}: '{word}' in Environment= is not KEY=VALUE");
                }

                variables.RemoveAll(v => v.Key == word[..equals]);
                variables.Add(new(word[..equals], word[(equals + 1)..]));
            }
        }

        return variables;
    }

    private static IEnumerable<string> Words(string text, string where)
    {
        if (text.Contains('%', StringComparison.Ordinal) || text.Contains('\'', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal))
        {
            throw new FormatException($"{where}: Environment= uses specifiers or quoting this tool does not read (%, ', \\)");
        }

        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException($"{where}: Environment= has an unclosed double quote");
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
