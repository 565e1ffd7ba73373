using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCloud.Edge.Agent.Cli.Status;
using EdgeCloud.Edge.Agent.Status;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent status</c>: reads the running agent's <c>/status</c> on its local endpoint and prints
/// a short summary. Exit 0 when healthy, 1 when unhealthy (the reasons printed last), 69
/// (EX_UNAVAILABLE) when no agent answers.
/// </summary>
internal static class StatusCommand
{
    /// <summary>EX_UNAVAILABLE: nothing answers at the status address.</summary>
    public const int Unreachable = 69;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var config = AgentCommandLine.ConfigOption();
        var url = new Option<string?>("--url")
        {
            Description = $"The agent's status endpoint (default: \"status\".\"listen\" of the config, else http://127.0.0.1:{StatusEndpointConfig.DefaultPort})",
        };
        var command = new Command("status", "Show what the running agent does: hub link, backlog and its ETA, last ack, dropped points, clock, devices.") { config, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(url);
            if (given is not null && (!Uri.TryCreate(given, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttp))
            {
                Console.Error.WriteLine($"--url '{given}' is not an http:// address (for example http://127.0.0.1:{StatusEndpointConfig.DefaultPort})");
                return ExitCodes.Usage;
            }

            var baseUrl = given is not null ? new Uri(given) : FromConfig(parse.GetValue(config)!.FullName);
            if (baseUrl is null)
            {
                Console.Error.WriteLine("the status endpoint is disabled in the config (\"status\": {\"listen\": \"off\"}); give --url to ask another address");
                return Unreachable;
            }

            return await RunAsync(baseUrl, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        var statusUrl = new Uri(baseUrl, "/status");
        AgentStatusReport? report;
        try
        {
            using var http = new HttpClient { Timeout = Timeout };
            report = await http.GetFromJsonAsync(statusUrl, StatusJsonContext.Default.AgentStatusReport, cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException)
        {
            Console.Error.WriteLine($"no agent status at {statusUrl}: {error.Message} (is the agent running? is \"status\".\"listen\" in agent.json this address?)");
            return Unreachable;
        }

        if (report is null)
        {
            Console.Error.WriteLine($"{statusUrl} answered an empty document");
            return Unreachable;
        }

        var (lines, problems) = StatusSummary.Summarize(report);
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static Uri? FromConfig(string path)
    {
        // An unreadable or absent config is not this command's business: fall back to the default.
        var loaded = File.Exists(path) ? ConfigLoader.TryLoad(path, []) : null;
        return loaded is null ? StatusEndpointConfig.Default.BaseUrl : loaded.Status.BaseUrl;
    }
}
