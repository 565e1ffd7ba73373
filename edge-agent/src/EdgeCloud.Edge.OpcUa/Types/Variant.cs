using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>
/// A value of any built-in type, scalar or array (OPC 10000-6 §5.2.2.16). A scalar holds the
/// CLR value of its type (double, int, string, <see cref="NodeId"/>...); an array holds a typed
/// CLR array (double[], string[], <see cref="Variant"/>[] for arrays of Variant) with the
/// optional <see cref="Dimensions"/> of a matrix. <see cref="Null"/> holds nothing.
/// </summary>
internal readonly record struct Variant(BuiltInType Type, object? Value, int[]? Dimensions = null)
{
    public static Variant Null => default;

    public bool IsNull => Type == BuiltInType.Null;

    /// <summary>True when <see cref="Value"/> is an array (of any rank).</summary>
    public bool IsArray => Value is Array && Type != BuiltInType.ByteString;

    public static Variant From(bool value) => new(BuiltInType.Boolean, value);

    public static Variant From(int value) => new(BuiltInType.Int32, value);

    public static Variant From(uint value) => new(BuiltInType.UInt32, value);

    public static Variant From(long value) => new(BuiltInType.Int64, value);

    public static Variant From(float value) => new(BuiltInType.Float, value);

    public static Variant From(double value) => new(BuiltInType.Double, value);

    public static Variant From(string value) => new(BuiltInType.String, value);

    public static Variant From(double[] value) => new(BuiltInType.Double, value);

    /// <summary>The CLR type a scalar of <paramref name="type"/> is held as.</summary>
    public static Type ClrType(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => typeof(bool),
        BuiltInType.SByte => typeof(sbyte),
        BuiltInType.Byte => typeof(byte),
        BuiltInType.Int16 => typeof(short),
        BuiltInType.UInt16 => typeof(ushort),
        BuiltInType.Int32 => typeof(int),
        BuiltInType.UInt32 => typeof(uint),
        BuiltInType.Int64 => typeof(long),
        BuiltInType.UInt64 => typeof(ulong),
        BuiltInType.Float => typeof(float),
        BuiltInType.Double => typeof(double),
        BuiltInType.String or BuiltInType.XmlElement => typeof(string),
        BuiltInType.DateTime => typeof(DateTime),
        BuiltInType.Guid => typeof(Guid),
        BuiltInType.ByteString => typeof(byte[]),
        BuiltInType.NodeId => typeof(NodeId),
        BuiltInType.ExpandedNodeId => typeof(ExpandedNodeId),
        BuiltInType.StatusCode => typeof(uint),
        BuiltInType.QualifiedName => typeof(QualifiedName),
        BuiltInType.LocalizedText => typeof(LocalizedText),
        BuiltInType.ExtensionObject => typeof(ExtensionObject),
        BuiltInType.DataValue => typeof(DataValue),
        BuiltInType.Variant => typeof(Variant),
        BuiltInType.DiagnosticInfo => typeof(DiagnosticInfo),
        _ => typeof(object),
    };

    public override string ToString()
    {
        if (Value is Array array && Type != BuiltInType.ByteString)
        {
            var items = new List<string>(array.Length);
            foreach (var item in array)
            {
                items.Add(Format(item));
            }

            return "[" + string.Join(", ", items) + "]";
        }

        return Format(Value);
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
