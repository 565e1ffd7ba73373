using EdgeCloud.Edge.OpcUa.Client;

namespace EdgeCloud.Edge.OpcUa.Commissioning;

/// <summary><c>edge-agent opcua browse</c>: prints the address space below a node as an indented tree, with the browse path and node id a tag config needs.</summary>
internal static class UaBrowseTool
{
    private static readonly string[] NodeClasses = ["", "Object", "Variable", "", "Method", "", "", "", "ObjectType"];

    public static Task<int> RunAsync(UaCliTarget target, NodeId start, int depth, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.RunAsync(time, error, async session =>
        {
            await output.WriteLineAsync($"{target.EndpointUrl} {start}").ConfigureAwait(false);
            var seen = new HashSet<NodeId> { start };
            // Browse paths are relative to Objects, as a tag's browsePath is; below another start node they are not printed.
            await BrowseAsync(session, start, start.Equals(UaSession.ObjectsFolder) ? "" : null, depth, 1, seen, output, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    private static async Task BrowseAsync(UaSession session, NodeId node, string? path, int depth, int level, HashSet<NodeId> seen, TextWriter output, CancellationToken cancellationToken)
    {
        if (level > depth)
        {
            return;
        }

        foreach (var reference in await session.BrowseAsync(node, cancellationToken).ConfigureAwait(false))
        {
            if (reference.NodeId.ServerIndex != 0 || reference.NodeClass > 8)
            {
                continue;
            }

            var child = reference.NodeId.NodeId;
            var childPath = path is null ? null : path.Length == 0 ? reference.BrowseName.ToString() : $"{path}/{reference.BrowseName}";
            var kind = reference.NodeClass < NodeClasses.Length ? NodeClasses[reference.NodeClass] : "";
            await output.WriteLineAsync($"{new string(' ', level * 2)}{reference.BrowseName}  [{kind}]  nodeId={child}{(childPath is null ? "" : "  browsePath=" + childPath)}").ConfigureAwait(false);
            if (seen.Add(child))
            {
                await BrowseAsync(session, child, childPath, depth, level + 1, seen, output, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
