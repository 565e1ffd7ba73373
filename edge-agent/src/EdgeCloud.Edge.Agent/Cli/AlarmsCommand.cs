using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent alarms list|ack|shelve</c>: the running agent's open alarms, and an operator's
/// acknowledge or shelve, through its local status endpoint (which serves alarms to this machine
/// only). Exit 0 when done, 1 when the agent refused (the reason printed), 69 when no agent answers.
/// </summary>
internal static class AlarmsCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var command = new Command("alarms", "List the running agent's open alarms, acknowledge or shelve one (on this machine).");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateAck());
        command.Subcommands.Add(CreateShelve());
        return command;
    }

    private static Command CreateList()
    {
        var (config, url) = (AgentCommandLine.ConfigOption(), UrlOption());
        var command = new Command("list", "The open alarms (id, state, severity, rule, tag, raised at, message) and the shelvings in force.") { config, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (status, body) = await SendAsync(BaseUrl(parse, config, url), HttpMethod.Get, "/alarms", null, cancellationToken);
            if (status != HttpStatusCode.OK)
            {
                return Report(status, body);
            }

            using var document = JsonDocument.Parse(body);
            var alarms = document.RootElement.GetProperty("alarms");
            Console.WriteLine(alarms.GetArrayLength() == 0 ? "no open alarms" : $"{alarms.GetArrayLength()} open alarm(s):");
            foreach (var alarm in alarms.EnumerateArray())
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{alarm.GetProperty("id").GetString()}  {alarm.GetProperty("state").GetString(),-22} {alarm.GetProperty("severity").GetInt32(),4}  {alarm.GetProperty("rule").GetString()} on {alarm.GetProperty("tag").GetString()}  raised {alarm.GetProperty("raisedAt").GetString()}  {alarm.GetProperty("message").GetString()}"));
            }

            foreach (var shelf in document.RootElement.GetProperty("shelves").EnumerateArray())
            {
                Console.WriteLine($"{shelf.GetProperty("kind").GetString()}: {shelf.GetProperty("rule").GetString()} on {shelf.GetProperty("tag").GetString()} until {shelf.GetProperty("until").GetString()} by {shelf.GetProperty("user").GetString()}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateAck()
    {
        var (config, url, id, user, comment) = (AgentCommandLine.ConfigOption(), UrlOption(), IdArgument(), UserOption(), CommentOption());
        var command = new Command("ack", "Acknowledge an open alarm.") { id, config, url, user, comment };
        command.SetAction((parse, cancellationToken) => OperateAsync(BaseUrl(parse, config, url), "/alarms/ack", new Dictionary<string, string?>
        {
            ["alarmId"] = parse.GetValue(id),
            ["user"] = parse.GetValue(user),
            ["comment"] = parse.GetValue(comment),
        }, cancellationToken));
        return command;
    }

    private static Command CreateShelve()
    {
        var (config, url, id, user, comment) = (AgentCommandLine.ConfigOption(), UrlOption(), IdArgument(), UserOption(), CommentOption());
        var expiry = new Option<string>("--for", "--until")
        {
            Description = "How long (90s, 30m, 8h, 2d) or until when (2026-11-24T18:00:00Z); at most 30 days",
            Required = true,
        };
        var command = new Command("shelve", "Shelve an alarm's rule and tag until a time: its alarms keep their lifecycle and reach the hub, but are not announced.") { id, config, url, user, comment, expiry };
        command.SetAction((parse, cancellationToken) => OperateAsync(BaseUrl(parse, config, url), "/alarms/shelve", new Dictionary<string, string?>
        {
            ["alarmId"] = parse.GetValue(id),
            ["user"] = parse.GetValue(user),
            ["comment"] = parse.GetValue(comment),
            ["expiry"] = parse.GetValue(expiry),
        }, cancellationToken));
        return command;
    }

    private static async Task<int> OperateAsync(Uri? baseUrl, string path, Dictionary<string, string?> arguments, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(arguments.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!), AlarmsJsonContext.Default.DictionaryStringString);
        var (status, answer) = await SendAsync(baseUrl, HttpMethod.Post, path, body, cancellationToken);
        return Report(status, answer);
    }

    private static int Report(HttpStatusCode? status, string body)
    {
        switch (status)
        {
            case null:
                Console.Error.WriteLine(body);
                return StatusCommand.Unreachable;
            case HttpStatusCode.OK:
                Console.WriteLine(body.TrimEnd());
                return ExitCodes.Ok;
            default:
                Console.Error.WriteLine($"refused ({(int)status}): {body.TrimEnd()}");
                return ExitCodes.Failure;
        }
    }

    /// <summary>Sends one request; a null status means nothing answered, and the text says why.</summary>
    private static async Task<(HttpStatusCode? Status, string Body)> SendAsync(Uri? baseUrl, HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        if (baseUrl is null)
        {
            return (null, "the status endpoint is disabled in the config (\"status\": {\"listen\": \"off\"}); give --url to ask another address");
        }

        var url = new Uri(baseUrl, path);
        try
        {
            using var http = new HttpClient { Timeout = Timeout };
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return (null, $"no agent at {url}: {error.Message} (is the agent running? is \"status\".\"listen\" in agent.json this address?)");
        }
    }

    private static Uri? BaseUrl(ParseResult parse, Option<FileInfo> config, Option<string?> url) =>
        parse.GetValue(url) is { } given && Uri.TryCreate(given, UriKind.Absolute, out var parsed) ? parsed : FromConfig(parse.GetValue(config)!.FullName);

    private static Uri? FromConfig(string path)
    {
        var loaded = File.Exists(path) ? ConfigLoader.TryLoad(path, []) : null;
        return loaded is null ? StatusEndpointConfig.Default.BaseUrl : loaded.Status.BaseUrl;
    }

    private static Option<string?> UrlOption() => new("--url")
    {
        Description = $"The agent's status endpoint (default: \"status\".\"listen\" of the config, else http://127.0.0.1:{StatusEndpointConfig.DefaultPort})",
    };

    private static Argument<string> IdArgument() => new("alarm-id") { Description = "The alarm's id, as 'edge-agent alarms list' shows it" };

    private static Option<string> UserOption() => new("--user")
    {
        Description = "Who does it (default: the login name)",
        DefaultValueFactory = _ => Environment.UserName,
    };

    private static Option<string?> CommentOption() => new("--comment") { Description = "Why, for the alarm's history" };
}

/// <summary>Source-generated JSON for the alarm commands' request bodies (the agent is trimmed).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AlarmsJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
