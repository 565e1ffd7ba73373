using System.CommandLine;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>The <c>edge-agent</c> command tree.</summary>
internal static class AgentCommandLine
{
    public const string DefaultConfigPath = "/etc/edge-agent/agent.json";

    public static RootCommand Build()
    {
        var root = new RootCommand("EdgeCloud edge agent: polls industrial devices, stores points durably and syncs them to the hub.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ModbusCommand.Create());
        root.Subcommands.Add(OpcUaCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(AlarmsCommand.Create());
        root.Subcommands.Add(EnrollCommand.Create());
        root.Subcommands.Add(UpdateCommand.Create());
        return root;
    }

    public static Option<FileInfo> ConfigOption() => new("--config", "-c")
    {
        Description = $"Agent config file (default: $EDGE_AGENT_CONFIG or {DefaultConfigPath})",
        DefaultValueFactory = _ => new FileInfo(Environment.GetEnvironmentVariable("EDGE_AGENT_CONFIG") is { Length: > 0 } fromEnv ? fromEnv : DefaultConfigPath),
    };
}
