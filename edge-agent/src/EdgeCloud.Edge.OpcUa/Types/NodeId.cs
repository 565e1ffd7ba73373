using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>
/// An OPC UA node id: a namespace index and a numeric, string, GUID or opaque identifier.
/// Immutable; equality is by value (opaque ids compare their bytes). The text form is the one of
/// OPC 10000-6 §5.3.1.10: <c>ns=2;s=Plant</c>, <c>i=85</c>, <c>ns=1;g=...</c>, <c>ns=1;b=base64</c>.
/// </summary>
internal sealed class NodeId : IEquatable<NodeId>
{
    private NodeId(ushort namespaceIndex, NodeIdType type, uint numeric, object? identifier)
    {
        NamespaceIndex = namespaceIndex;
        IdType = type;
        Numeric = numeric;
        Identifier = identifier;
    }

    /// <summary>The null node id (ns=0;i=0).</summary>
    public static NodeId Null { get; } = new(0, NodeIdType.Numeric, 0, null);

    public ushort NamespaceIndex { get; }

    public NodeIdType IdType { get; }

    /// <summary>The identifier when <see cref="IdType"/> is numeric.</summary>
    public uint Numeric { get; }

    /// <summary>A string, a <see cref="Guid"/> or a byte array; null for numeric ids.</summary>
    public object? Identifier { get; }

    public bool IsNull => IdType == NodeIdType.Numeric && Numeric == 0 && NamespaceIndex == 0;

    public static NodeId FromNumeric(ushort namespaceIndex, uint value) => new(namespaceIndex, NodeIdType.Numeric, value, null);

    public static NodeId FromString(ushort namespaceIndex, string value) => new(namespaceIndex, NodeIdType.String, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static NodeId FromGuid(ushort namespaceIndex, Guid value) => new(namespaceIndex, NodeIdType.Guid, 0, value);

    public static NodeId FromOpaque(ushort namespaceIndex, byte[] value) => new(namespaceIndex, NodeIdType.Opaque, 0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>The same identifier in another namespace (an <c>nsu=</c> node id once its URI is resolved).</summary>
    public NodeId WithNamespace(ushort namespaceIndex) => new(namespaceIndex, IdType, Numeric, Identifier);

    /// <summary>Parses the text form; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static NodeId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ushort ns = 0;
        var rest = text.Trim();
        if (rest.StartsWith("ns=", StringComparison.Ordinal))
        {
            var semicolon = rest.IndexOf(';', StringComparison.Ordinal);
            if (semicolon < 0 || !ushort.TryParse(rest.AsSpan(3, semicolon - 3), NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                throw new FormatException($"'{text}' is not a node id: the namespace index must be 0-65535 followed by ';'");
            }

            rest = rest[(semicolon + 1)..];
        }

        if (rest.Length < 2 || rest[1] != '=')
        {
            throw new FormatException($"'{text}' is not a node id (expected i=, s=, g= or b=, for example 'ns=2;s=Plant')");
        }

        var value = rest[2..];
        switch (rest[0])
        {
            case 'i' when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric):
                return FromNumeric(ns, numeric);
            case 's' when value.Length > 0:
                return FromString(ns, value);
            case 'g' when Guid.TryParse(value, out var guid):
                return FromGuid(ns, guid);
            case 'b':
                try
                {
                    return FromOpaque(ns, Convert.FromBase64String(value));
                }
                catch (FormatException)
                {
                    break;
                }
        }

        throw new FormatException($"'{text}' is not a node id: '{rest[..2]}' is not followed by a valid identifier");
    }

    /// <summary>Parses the text form without throwing.</summary>
    public static bool TryParse(string text, out NodeId nodeId)
    {
        try
        {
            nodeId = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            nodeId = Null;
            return false;
        }
    }

    public bool Equals(NodeId? other) =>
        other is not null && NamespaceIndex == other.NamespaceIndex && IdType == other.IdType && Numeric == other.Numeric &&
        (IdType == NodeIdType.Opaque
            ? ((byte[])Identifier!).AsSpan().SequenceEqual((byte[])other.Identifier!)
            : Equals(Identifier, other.Identifier));

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode() => IdType switch
    {
        NodeIdType.Numeric => HashCode.Combine(NamespaceIndex, Numeric),
        NodeIdType.Opaque => HashCode.Combine(NamespaceIndex, ((byte[])Identifier!).Length),
        _ => HashCode.Combine(NamespaceIndex, Identifier),
    };

    public override string ToString()
    {
        var prefix = NamespaceIndex == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"ns={NamespaceIndex};");
        return IdType switch
        {
            NodeIdType.Numeric => string.Create(CultureInfo.InvariantCulture, $"{prefix}i={Numeric}"),
            NodeIdType.String => $"{prefix}s={Identifier}",
            NodeIdType.Guid => $"{prefix}g={Identifier}",
            _ => $"{prefix}b={Convert.ToBase64String((byte[])Identifier!)}",
        };
    }
}
