using System.CommandLine;
using EdgeCloud.Edge.Agent.Cli.Doctor;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Time;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent doctor</c>: one line per check (config, data folder and disk budget, each
/// device, the hub, the clock); exit 78 when the config is refused, 1 when any check fails.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var config = AgentCommandLine.ConfigOption();
        var command = new Command("doctor", "Check this installation: config, data folder and disk, devices, hub, clock. One line per check.") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)!.FullName;
            var errors = new List<ConfigError>();
            var loaded = ConfigLoader.TryLoad(path, errors);
            if (loaded is null)
            {
                foreach (var error in errors)
                {
                    Console.WriteLine(new CheckResult(CheckOutcome.Fail, "config", error.ToString()));
                }

                return ExitCodes.Config;
            }

            Console.WriteLine(new CheckResult(CheckOutcome.Ok, "config", $"{path}: agent {loaded.AgentId}, {loaded.Site.Devices.Count} devices"));
            using var services = new ServiceCollection().AddClockStatus().BuildServiceProvider();
            var doctor = new AgentDoctor(services.GetRequiredService<IClockStatus>());
            var failed = false;
            foreach (var result in await doctor.RunAsync(loaded, cancellationToken))
            {
                Console.WriteLine(result);
                failed |= result.Outcome == CheckOutcome.Fail;
            }

            return failed ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
