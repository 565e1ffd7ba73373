using System.Globalization;
using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Hosting;

namespace EdgeCloud.Edge.OpcUa.Commissioning;

/// <summary><c>edge-agent opcua read</c>: reads one node (by node id, <c>ns=</c> or <c>nsu=</c>, or by browse path from Objects) and prints its value, type, status and timestamps.</summary>
internal static class UaReadTool
{
    public static Task<int> RunAsync(UaCliTarget target, string node, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(node);
        return target.RunAsync(time, error, async session =>
        {
            var nodeId = await ResolveAsync(session, node, cancellationToken).ConfigureAwait(false);
            if (nodeId is null)
            {
                await error.WriteLineAsync($"error: browse path '{node}' does not lead to a node").ConfigureAwait(false);
                return 1;
            }

            var value = await session.ReadValueAsync(nodeId, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"node:      {nodeId}").ConfigureAwait(false);
            await output.WriteLineAsync($"value:     {value.Value}").ConfigureAwait(false);
            await output.WriteLineAsync($"type:      {value.Value.Type}{(value.Value.IsArray ? "[]" : "")}").ConfigureAwait(false);
            await output.WriteLineAsync($"status:    {StatusCodes.Name(value.Status)} (quality {UaPointMapper.Quality(value.Status)})").ConfigureAwait(false);
            await output.WriteLineAsync($"source:    {Format(value.SourceTimestamp)}").ConfigureAwait(false);
            await output.WriteLineAsync($"server:    {Format(value.ServerTimestamp)}").ConfigureAwait(false);
            return StatusCodes.IsBad(value.Status) ? 1 : 0;
        }, cancellationToken);
    }

    private static async Task<NodeId?> ResolveAsync(UaSession session, string node, CancellationToken cancellationToken)
    {
        if (NodeIdReference.TryParse(node, out var reference))
        {
            return await session.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        }

        if (node.StartsWith("nsu=", StringComparison.Ordinal))
        {
            NodeIdReference.Parse(node); // throws the FormatException that says what is wrong
        }

        var result = await session.TranslateAsync([new BrowsePath(UaSession.ObjectsFolder, OpcUaDeviceRunner.ParseBrowsePath(node))], cancellationToken).ConfigureAwait(false);
        return result[0].Targets.Length > 0 ? result[0].Targets[0].NodeId : null;
    }

    private static string Format(DateTime? time) => time is { } t && t > DateTime.MinValue ? t.ToString("O", CultureInfo.InvariantCulture) : "-";
}
