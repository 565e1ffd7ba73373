using System.CommandLine;
using EdgeCloud.Edge.Agent.Hosting;
using EdgeCloud.Edge.Configuration;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary><c>edge-agent run</c>: the service itself.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = AgentCommandLine.ConfigOption();
        var command = new Command("run", "Run the agent until stopped (what the systemd unit starts).") { config };
        command.TreatUnmatchedTokensAsErrors = false;
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

            using var host = AgentHost.CreateBuilder(loaded, [.. parse.UnmatchedTokens]).Build();
            await host.RunAsync(CancellationToken.None);
            return Environment.ExitCode;
        });
        return command;
    }
}
