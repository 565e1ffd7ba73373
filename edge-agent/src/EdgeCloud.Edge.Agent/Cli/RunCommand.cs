using System.CommandLine;
using EdgeCloud.Edge.Agent.Hosting;
using EdgeCloud.Edge.Configuration;
using Microsoft.Extensions.DependencyInjection;
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

            // Taken before running: RunAsync disposes the service provider when the host stops, after
            // which asking it for services throws (and a clean stop would exit 1).
            var background = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
            await host.RunAsync(CancellationToken.None);

            // A background service that failed stops the host, and RunAsync then returns as if asked to stop;
            // exit non-zero so that systemd (Restart=on-failure) starts the agent again.
            var failed = background
                .Where(service => service.ExecuteTask is { IsFaulted: true }).ToList();
            if (failed.Count > 0 && Environment.ExitCode == 0)
            {
                await Console.Error.WriteLineAsync($"edge-agent stopped because {string.Join(", ", failed.Select(service => service.GetType().Name))} failed (the log above says why)");
                return ExitCodes.Failure;
            }

            return Environment.ExitCode;
        });
        return command;
    }
}
