namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>
/// A node id as an installer writes it: <c>ns=2;s=Plant</c> (namespace index, as the server numbers
/// it today) or <c>nsu=urn:plant;s=Plant</c> (namespace URI, OPC 10000-6 §5.3.1.11), which stays
/// right when the server renumbers its namespaces. The URI form is resolved to an index through
/// the server's NamespaceArray (i=2255) on a session. A ';' inside the URI is written %3B.
/// </summary>
internal sealed record NodeIdReference(string? NamespaceUri, NodeId Node)
{
    private const string UriPrefix = "nsu=";

    /// <summary>True when the node is named by namespace URI and needs <see cref="Resolve"/>.</summary>
    public bool NeedsNamespaceArray => NamespaceUri is not null;

    /// <summary>Parses either text form; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static NodeIdReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!trimmed.StartsWith(UriPrefix, StringComparison.Ordinal))
        {
            return new NodeIdReference(null, NodeId.Parse(trimmed));
        }

        var semicolon = trimmed.IndexOf(';', StringComparison.Ordinal);
        if (semicolon <= UriPrefix.Length)
        {
            throw new FormatException($"'{text}' is not a node id: nsu= takes a namespace URI and ';' before the identifier (for example 'nsu=urn:plant;s=Temperature')");
        }

        var local = trimmed[(semicolon + 1)..];
        if (local.StartsWith("ns=", StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}' is not a node id: give either nsu= or ns=, not both");
        }

        var uri = Uri.UnescapeDataString(trimmed[UriPrefix.Length..semicolon]);
        try
        {
            return new NodeIdReference(uri, NodeId.Parse(local));
        }
        catch (FormatException)
        {
            throw new FormatException($"'{text}' is not a node id: '{local}' after the namespace URI is not i=, s=, g= or b= with a valid identifier");
        }
    }

    /// <summary>Parses without throwing.</summary>
    public static bool TryParse(string text, out NodeIdReference reference)
    {
        try
        {
            reference = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            reference = new NodeIdReference(null, NodeId.Null);
            return false;
        }
    }

    /// <summary>The node id with the index the server gives the URI; BadNodeIdUnknown naming the URI when the server has no such namespace.</summary>
    public NodeId Resolve(IReadOnlyList<string> namespaceArray)
    {
        ArgumentNullException.ThrowIfNull(namespaceArray);
        if (NamespaceUri is null)
        {
            return Node;
        }

        for (var i = 0; i < namespaceArray.Count && i <= ushort.MaxValue; i++)
        {
            if (string.Equals(namespaceArray[i], NamespaceUri, StringComparison.Ordinal))
            {
                return Node.WithNamespace((ushort)i);
            }
        }

        throw new UaStatusException(StatusCodes.BadNodeIdUnknown,
            $"namespace '{NamespaceUri}' is not in the server's NamespaceArray ({string.Join(", ", namespaceArray)})");
    }

    public override string ToString() => NamespaceUri is null ? Node.ToString() : $"{UriPrefix}{NamespaceUri.Replace(";", "%3B", StringComparison.Ordinal)};{Node}";
}
