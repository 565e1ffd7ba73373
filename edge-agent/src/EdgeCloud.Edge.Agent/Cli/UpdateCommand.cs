using System.CommandLine;
using System.Security.Cryptography;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Install;
using EdgeCloud.Edge.Updates.Slots;
using Google.Protobuf;
using RolloutDirective = EdgeCloud.Proto.Sync.V1.RolloutDirective;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent update install</c>: a field installer's rollout without a hub. The same verifier (size, SHA-256,
/// signature against <c>updates.releaseKeys</c>, not older than installed) and the same installers as a hub
/// rollout; an agent build lands in the inactive slot on trial and starts with the next service restart.
/// Exit 0 when installed, 1 with the reason code when refused, 78 for a bad config, 77 when run as root.
/// </summary>
internal static class UpdateCommand
{
    /// <summary>EX_NOPERM: run as the service user so that the files belong to it.</summary>
    public const int NotServiceUser = 77;

    public static Command Create()
    {
        var update = new Command("update", "Install signed artifacts by hand (what a hub rollout does).");
        update.Subcommands.Add(Install());
        return update;
    }

    private static Command Install()
    {
        var config = AgentCommandLine.ConfigOption();
        var kind = new Option<string>("--kind") { Description = "agent, firmware or model", Required = true };
        kind.AcceptOnlyFromAmong("agent", "firmware", "model");
        var name = new Option<string>("--name") { Description = "the model name, the firmware target, or edge-agent", Required = true };
        var version = new Option<string>("--version") { Description = "the artifact's version (as signed)", Required = true };
        var signature = new Option<string>("--signature") { Description = "base64 ECDSA P-256 signature (IEEE P1363) of the artifact statement (docs/rollouts.md)", Required = true };
        var keyId = new Option<string?>("--key-id") { Description = "hex id of the signing release key (default: try every configured key)" };
        var sha = new Option<string?>("--sha256") { Description = "the SHA-256 the artifact was published with (default: the file's own)" };
        var downgrade = new Option<bool>("--allow-downgrade") { Description = "install even when older than what is installed" };
        var file = new Argument<FileInfo>("FILE") { Description = "the artifact" };
        var command = new Command("install", "Verify and install one artifact.") { config, kind, name, version, signature, keyId, sha, downgrade, file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            AgentConfig loaded;
            try
            {
                loaded = ConfigLoader.Load(parse.GetValue(config)!.FullName);
            }
            catch (ConfigurationException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return ExitCodes.Config;
            }

            if (Environment.IsPrivilegedProcess && Environment.GetEnvironmentVariable("EDGE_AGENT_ALLOW_ROOT") != "1")
            {
                await Console.Error.WriteLineAsync("run this as the service user, so that the service can replace what it installs: sudo -u edge-agent edge-agent update install ...");
                return NotServiceUser;
            }

            var artifact = parse.GetValue(file)!;
            if (!artifact.Exists)
            {
                await Console.Error.WriteLineAsync($"{artifact.FullName}: no such file");
                return ExitCodes.Usage;
            }

            byte[] signed;
            try
            {
                signed = Convert.FromBase64String(parse.GetValue(signature)!);
            }
            catch (FormatException)
            {
                await Console.Error.WriteLineAsync("--signature is not base64");
                return ExitCodes.Usage;
            }

            var directive = new RolloutDirective
            {
                CampaignId = "local",
                Artifact = artifact.Name,
                Kind = parse.GetValue(kind)!,
                Name = parse.GetValue(name)!,
                Version = parse.GetValue(version)!,
                Size = (ulong)artifact.Length,
                Sha256 = parse.GetValue(sha) ?? await HashAsync(artifact.FullName, cancellationToken),
                Signature = ByteString.CopyFrom(signed),
                KeyId = parse.GetValue(keyId) ?? "",
                AllowDowngrade = parse.GetValue(downgrade),
            };
            try
            {
                var detail = await InstallAsync(loaded, directive, artifact.FullName, cancellationToken);
                Console.WriteLine($"installed {directive.Kind} {directive.Name} {directive.Version}: {detail}");
                return ExitCodes.Ok;
            }
            catch (RolloutRefusedException refused)
            {
                await Console.Error.WriteLineAsync($"refused ({refused.Reason}): {refused.Message}; nothing was installed");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task<string> InstallAsync(AgentConfig config, RolloutDirective directive, string file, CancellationToken cancellationToken)
    {
        using var keys = new ReleaseKeys(config.Updates);
        var running = new RunningBuild(config.Updates.SlotsDirectory);
        var installed = new InstalledVersions(Path.Combine(config.DataDirectory, "updates"));
        ArtifactVerifier.Verify(file, directive, keys, directive.Kind == "agent" ? running.Installed : installed.Get(directive.Kind, directive.Name));
        var work = Path.Combine(config.DataDirectory, "updates", "cli-work");
        try
        {
            switch (directive.Kind)
            {
                case "model":
                    var placed = await new ModelInstaller(config.ModelsDirectory, null).InstallAsync(file, directive.Name, work, cancellationToken);
                    installed.Set(directive.Kind, directive.Name, directive.Version);
                    return placed;
                case "firmware":
                    var output = await new FirmwareInstaller(config.Updates).InstallAsync(file, directive.Name, cancellationToken);
                    installed.Set(directive.Kind, directive.Name, directive.Version);
                    return output;
                default:
                    var slots = config.Updates.SlotsDirectory;
                    var state = SlotState.Read(slots) ?? SlotState.Initial(running.Version);
                    var next = AgentInstaller.InstallAndSwitch(file, slots, state, running.Installed, directive.Version, (int)config.Updates.HealthWindow.TotalSeconds, directive.CampaignId, directive.Artifact);
                    return $"in slot {next.Active}, on trial; it starts with the next service start (systemctl restart edge-agent) and must reach the hub within {next.HealthWindowSeconds} s or {next.PreviousVersion} comes back";
            }
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
