namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>A browse name: a namespace index and a name. The text form is <c>2:Plant</c> (or <c>Plant</c> in namespace 0).</summary>
internal readonly record struct QualifiedName(ushort NamespaceIndex, string? Name)
{
    public override string ToString() => NamespaceIndex == 0 ? Name ?? "" : $"{NamespaceIndex}:{Name}";
}
