using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Client;

/// <summary>The attribute and view services (OPC 10000-4 §5.8, §5.10).</summary>
internal sealed partial class UaSession
{
    /// <summary>HierarchicalReferences (i=33).</summary>
    public static readonly NodeId HierarchicalReferences = NodeId.FromNumeric(0, 33);

    /// <summary>The Objects folder (i=85).</summary>
    public static readonly NodeId ObjectsFolder = NodeId.FromNumeric(0, 85);

    /// <summary>Server_NamespaceArray (i=2255): the namespace URIs, by index.</summary>
    public static readonly NodeId NamespaceArray = NodeId.FromNumeric(0, 2255);

    /// <summary>Most references one browse follows through BrowseNext before it stops (a bound against a server that never ends).</summary>
    public const int MaxBrowseReferences = 100_000;

    /// <summary>Reads the value attribute of each node, in order.</summary>
    public async Task<DataValue[]> ReadAsync(IReadOnlyList<ReadValueId> nodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var response = await CallAsync<ReadResponse>(new ReadRequest(nodes), cancellationToken).ConfigureAwait(false);
        CheckCount(response.Results.Length, nodes.Count, "Read");
        return response.Results;
    }

    /// <summary>Reads one node's value.</summary>
    public async Task<DataValue> ReadValueAsync(NodeId node, CancellationToken cancellationToken) =>
        (await ReadAsync([new ReadValueId(node)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Reads the server's NamespaceArray, which turns <c>nsu=</c> node ids into namespace indexes.</summary>
    public async Task<string[]> ReadNamespaceArrayAsync(CancellationToken cancellationToken)
    {
        var value = await ReadValueAsync(NamespaceArray, cancellationToken).ConfigureAwait(false);
        if (StatusCodes.IsBad(value.Status) || value.Value.Value is not string?[] uris)
        {
            throw new UaStatusException(StatusCodes.IsBad(value.Status) ? value.Status : StatusCodes.BadTypeMismatch,
                $"the server's NamespaceArray (i=2255) is not readable as an array of strings ({value.Value.Type}, {StatusCodes.Name(value.Status)})");
        }

        return uris.Select(u => u ?? "").ToArray();
    }

    /// <summary>Resolves a configured node id; reads the NamespaceArray only for the <c>nsu=</c> form.</summary>
    public async Task<NodeId> ResolveAsync(NodeIdReference node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.NeedsNamespaceArray ? node.Resolve(await ReadNamespaceArrayAsync(cancellationToken).ConfigureAwait(false)) : node.Node;
    }

    /// <summary>Writes values; returns one status per value.</summary>
    public async Task<uint[]> WriteAsync(IReadOnlyList<WriteValue> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var response = await CallAsync<WriteResponse>(new WriteRequest(values), cancellationToken).ConfigureAwait(false);
        CheckCount(response.Results.Length, values.Count, "Write");
        return response.Results;
    }

    /// <summary>Browses the forward hierarchical references of a node, following continuation points to the end.</summary>
    public async Task<IReadOnlyList<ReferenceDescription>> BrowseAsync(NodeId node, CancellationToken cancellationToken, uint maxReferencesPerCall = 1000)
    {
        var response = await CallAsync<BrowseResponse>(
            new BrowseRequest([new BrowseDescription(node, HierarchicalReferences)], maxReferencesPerCall), cancellationToken).ConfigureAwait(false);
        CheckCount(response.Results.Length, 1, "Browse");
        var result = response.Results[0];
        var references = new List<ReferenceDescription>();
        while (true)
        {
            if (StatusCodes.IsBad(result.StatusCode))
            {
                throw new UaStatusException(result.StatusCode, $"Browse of {node} failed");
            }

            references.AddRange(result.References);
            if (result.ContinuationPoint is not { Length: > 0 } continuation)
            {
                return references;
            }

            var release = references.Count >= MaxBrowseReferences;
            var next = await CallAsync<BrowseNextResponse>(new BrowseNextRequest(release, [continuation]), cancellationToken).ConfigureAwait(false);
            if (release)
            {
                return references;
            }

            CheckCount(next.Results.Length, 1, "BrowseNext");
            result = next.Results[0];
        }
    }

    /// <summary>Resolves browse paths to node ids; a path that leads nowhere gets its bad status and no target.</summary>
    public async Task<BrowsePathResult[]> TranslateAsync(IReadOnlyList<BrowsePath> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var response = await CallAsync<TranslateBrowsePathsResponse>(new TranslateBrowsePathsRequest(paths), cancellationToken).ConfigureAwait(false);
        CheckCount(response.Results.Length, paths.Count, "TranslateBrowsePathsToNodeIds");
        return response.Results;
    }

    private static void CheckCount(int actual, int expected, string service)
    {
        if (actual != expected)
        {
            throw new UaStatusException(StatusCodes.BadUnknownResponse, string.Create(CultureInfo.InvariantCulture, $"{service} returned {actual} results for {expected} operations"));
        }
    }
}
