using System.CommandLine;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary><c>edge-agent validate</c>: checks a config without starting anything.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = AgentCommandLine.ConfigOption();
        var command = new Command("validate", "Check the agent config and its site config; print every error with its path.") { config };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(config)!.FullName;
            var errors = new List<ConfigError>();
            var loaded = ConfigLoader.TryLoad(path, errors);
            if (loaded is null)
            {
                foreach (var error in errors)
                {
                    Console.Error.WriteLine(error);
                }

                Console.Error.WriteLine($"{path}: refused ({errors.Count} error{(errors.Count == 1 ? "" : "s")})");
                return ExitCodes.Config;
            }

            var tags = loaded.Site.Devices.Sum(d => d is ModbusDeviceConfig m ? m.Tags.Count : 0);
            Console.WriteLine($"{path}: OK (agent {loaded.AgentId}, {loaded.Site.Devices.Count} devices, {tags} tags, hub {loaded.Hub.Url})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
