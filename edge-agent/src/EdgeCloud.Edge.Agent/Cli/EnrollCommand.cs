using System.CommandLine;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Sync.Identity;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent enroll --hub URL --token T</c>: makes this agent's key pair and CSR, has the hub's CA sign
/// it with a single-use enrollment token, and stores key and certificate (mode 0600) under the data folder.
/// Exit 0 when enrolled, 1 when the hub refused or was unreachable, 78 when the agent config is refused.
/// </summary>
internal static class EnrollCommand
{
    public static Command Create()
    {
        var config = AgentCommandLine.ConfigOption();
        var hub = new Option<string>("--hub") { Description = "The hub's REST API address, e.g. https://hub.example.com:5080", Required = true };
        var token = new Option<string?>("--token")
        {
            Description = "Enrollment token from the hub's admin (default: $EDGE_AGENT_ENROLL_TOKEN, which keeps it out of shell history)",
        };
        var command = new Command("enroll", "Enroll this agent with the hub: get its certificate for the mTLS sync link.") { config, hub, token };
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

            var secret = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("EDGE_AGENT_ENROLL_TOKEN");
            if (string.IsNullOrWhiteSpace(secret))
            {
                await Console.Error.WriteLineAsync("enroll: give the enrollment token with --token or $EDGE_AGENT_ENROLL_TOKEN");
                return ExitCodes.Usage;
            }

            if (!Uri.TryCreate(parse.GetValue(hub), UriKind.Absolute, out var hubApi) || (hubApi.Scheme != Uri.UriSchemeHttp && hubApi.Scheme != Uri.UriSchemeHttps))
            {
                await Console.Error.WriteLineAsync($"enroll: --hub '{parse.GetValue(hub)}' is not an http:// or https:// address");
                return ExitCodes.Usage;
            }

            var files = new AgentIdentityFiles(loaded.DataDirectory);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                var outcome = await EnrollmentClient.EnrollAsync(http, hubApi, secret.Trim(), loaded.AgentId, files, cancellationToken);
                Console.WriteLine($"Enrolled agent {loaded.AgentId} in tenant {outcome.Tenant}: certificate {outcome.Credential.SerialNumber} valid until {outcome.Credential.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}, stored in {files.Folder}");
                if (loaded.Hub.Url.Scheme != Uri.UriSchemeHttps)
                {
                    Console.WriteLine($"Note: hub.url in {loaded.SourcePath} is {loaded.Hub.Url}; set it to the hub's https:// sync address to use this identity.");
                }

                return ExitCodes.Ok;
            }
            catch (EnrollmentException error)
            {
                await Console.Error.WriteLineAsync($"enroll: {error.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
