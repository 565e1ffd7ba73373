using System.Globalization;
using EdgeCloud.Edge.Agent.Hosting.Site;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Sync.Directives;
using EdgeCloud.Edge.Writes;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Agent.Hosting.Commands;

/// <summary>
/// <c>write-tag</c> with arguments <c>device</c>, <c>tag</c>, <c>value</c> and optional <c>type</c>
/// (number, the default; integer; flag; text): written through the <see cref="ITagWriter"/> that serves the
/// device, read back, and reported; a clear failure when no writer serves the device.
/// </summary>
internal sealed class WriteTagCommandHandler(SiteSupervisor sites) : IHubCommandHandler
{
    public string Kind => "write-tag";

    public async Task<HubCommandOutcome> ExecuteAsync(IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        if (!arguments.TryGetValue("device", out var device) || !arguments.TryGetValue("tag", out var tag) || !arguments.TryGetValue("value", out var text))
        {
            return new HubCommandOutcome(false, "write-tag needs the arguments 'device', 'tag' and 'value'");
        }

        var type = arguments.TryGetValue("type", out var given) ? given : "number";
        if (Parse(type, text) is not { } value)
        {
            return new HubCommandOutcome(false, $"argument 'value' '{text}' is not a {type} (type is one of number, integer, flag, text)");
        }

        // The writers of the site in force now: a live config change replaces them with the site.
        var writers = sites.Current?.Services.GetServices<ITagWriter>() ?? [];
        var writer = writers.FirstOrDefault(w => w.Serves(device));
        if (writer is null)
        {
            return new HubCommandOutcome(false, $"no tag writer serves device '{device}' on this agent (unknown device, or its protocol has no write support)");
        }

        var result = await writer.WriteAsync(device, tag, value, cancellationToken);
        return new HubCommandOutcome(result.Succeeded, $"{result.Status}: {result.Message}");
    }

    private static TagValue? Parse(string type, string text) => type switch
    {
        "number" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => TagValue.FromNumber(number),
        "integer" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) => TagValue.FromInteger(integer),
        "flag" when bool.TryParse(text, out var flag) => TagValue.FromFlag(flag),
        "text" => TagValue.FromText(text),
        _ => null,
    };
}
