using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Encoding;

/// <summary>The structured built-in types: node ids, names, texts, variants, data values.</summary>
internal sealed partial class UaBinaryReader
{
    public NodeId ReadNodeId() => ReadNodeIdCore(ReadByte());

    private NodeId ReadNodeIdCore(byte encoding) => (encoding & 0x3F) switch
    {
        0x00 => NodeId.FromNumeric(0, ReadByte()),
        0x01 => NodeId.FromNumeric(ReadByte(), ReadUInt16()),
        0x02 => NodeId.FromNumeric(ReadUInt16(), ReadUInt32()),
        0x03 => ReadStringNodeId(ReadUInt16()),
        0x04 => NodeId.FromGuid(ReadUInt16(), ReadGuid()),
        0x05 => NodeId.FromOpaque(ReadUInt16(), ReadByteString() ?? []),
        var other => throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"node id encoding 0x{other:X2} is unknown")),
    };

    private NodeId ReadStringNodeId(ushort ns) => NodeId.FromString(ns, ReadString() ?? "");

    public ExpandedNodeId ReadExpandedNodeId()
    {
        var encoding = ReadByte();
        var nodeId = ReadNodeIdCore(encoding);
        var uri = (encoding & 0x80) != 0 ? ReadString() : null;
        var server = (encoding & 0x40) != 0 ? ReadUInt32() : 0;
        return new ExpandedNodeId(nodeId, uri, server);
    }

    public QualifiedName ReadQualifiedName() => new(ReadUInt16(), ReadString());

    public LocalizedText ReadLocalizedText()
    {
        var mask = ReadByte();
        var locale = (mask & 0x01) != 0 ? ReadString() : null;
        var text = (mask & 0x02) != 0 ? ReadString() : null;
        return new LocalizedText(locale, text);
    }

    public ExtensionObject ReadExtensionObject()
    {
        var typeId = ReadNodeId();
        var encoding = ReadByte();
        return encoding switch
        {
            0 => new ExtensionObject(typeId, 0, null),
            1 or 2 => new ExtensionObject(typeId, encoding, ReadByteString()),
            _ => throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"extension object encoding {encoding} is unknown")),
        };
    }

    public DiagnosticInfo? ReadDiagnosticInfo()
    {
        var mask = ReadByte();
        if (mask == 0)
        {
            return null;
        }

        Enter();
        try
        {
            // Symbolic id, namespace uri, localized text and locale are indexes into the string table: skipped.
            for (var bit = 0; bit < 4; bit++)
            {
                if ((mask & (1 << bit)) != 0)
                {
                    ReadInt32();
                }
            }

            var info = (mask & 0x10) != 0 ? ReadString() : null;
            var inner = (mask & 0x20) != 0 ? ReadStatusCode() : 0;
            var innerInfo = (mask & 0x40) != 0 ? ReadDiagnosticInfo() : null;
            return new DiagnosticInfo(info, inner, innerInfo);
        }
        finally
        {
            Leave();
        }
    }

    public DataValue ReadDataValue()
    {
        var mask = ReadByte();
        var value = (mask & 0x01) != 0 ? ReadVariant() : Variant.Null;
        var status = (mask & 0x02) != 0 ? ReadStatusCode() : StatusCodes.Good;
        DateTime? source = (mask & 0x04) != 0 ? ReadDateTime() : null;
        if ((mask & 0x10) != 0)
        {
            ReadUInt16();
        }

        DateTime? server = (mask & 0x08) != 0 ? ReadDateTime() : null;
        if ((mask & 0x20) != 0)
        {
            ReadUInt16();
        }

        return new DataValue(value, status, source, server);
    }

    public Variant ReadVariant()
    {
        var mask = ReadByte();
        var type = (BuiltInType)(mask & 0x3F);
        if (mask == 0)
        {
            return Variant.Null;
        }

        if (type > BuiltInType.DiagnosticInfo || type == BuiltInType.Null)
        {
            throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"variant type id {(int)type} is unknown"));
        }

        Enter();
        try
        {
            if ((mask & 0x80) == 0)
            {
                if ((mask & 0x40) != 0)
                {
                    throw new UaDecodeException("variant has array dimensions but is not an array");
                }

                return new Variant(type, ReadScalar(type));
            }

            var length = ReadArrayLength(MinSize(type));
            var array = ReadTypedArray(type, Math.Max(length, 0));
            int[]? dimensions = null;
            if ((mask & 0x40) != 0)
            {
                dimensions = ReadArray(r => r.ReadInt32(), 4);
                long product = 1;
                foreach (var d in dimensions ?? [])
                {
                    product = d < 0 ? -1 : Math.Min(product * d, int.MaxValue + 1L);
                }

                if (dimensions is null || product != length)
                {
                    throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"variant array dimensions do not multiply to its {length} elements"));
                }
            }

            return new Variant(type, array, dimensions);
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>The fewest bytes one encoded element of <paramref name="type"/> takes.</summary>
    private static int MinSize(BuiltInType type) => type switch
    {
        BuiltInType.Int16 or BuiltInType.UInt16 => 2,
        BuiltInType.Int32 or BuiltInType.UInt32 or BuiltInType.Float or BuiltInType.StatusCode
            or BuiltInType.String or BuiltInType.ByteString or BuiltInType.XmlElement => 4,
        BuiltInType.Int64 or BuiltInType.UInt64 or BuiltInType.Double or BuiltInType.DateTime => 8,
        BuiltInType.Guid => 16,
        _ => 1,
    };

    private Array ReadTypedArray(BuiltInType type, int length)
    {
        var array = Array.CreateInstance(Variant.ClrType(type), length);
        for (var i = 0; i < length; i++)
        {
            array.SetValue(ReadScalar(type), i);
        }

        return array;
    }

    private object? ReadScalar(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => ReadBoolean(),
        BuiltInType.SByte => ReadSByte(),
        BuiltInType.Byte => ReadByte(),
        BuiltInType.Int16 => ReadInt16(),
        BuiltInType.UInt16 => ReadUInt16(),
        BuiltInType.Int32 => ReadInt32(),
        BuiltInType.UInt32 => ReadUInt32(),
        BuiltInType.Int64 => ReadInt64(),
        BuiltInType.UInt64 => ReadUInt64(),
        BuiltInType.Float => ReadFloat(),
        BuiltInType.Double => ReadDouble(),
        BuiltInType.String or BuiltInType.XmlElement => ReadString(),
        BuiltInType.DateTime => ReadDateTime(),
        BuiltInType.Guid => ReadGuid(),
        BuiltInType.ByteString => ReadByteString(),
        BuiltInType.NodeId => ReadNodeId(),
        BuiltInType.ExpandedNodeId => ReadExpandedNodeId(),
        BuiltInType.StatusCode => ReadStatusCode(),
        BuiltInType.QualifiedName => ReadQualifiedName(),
        BuiltInType.LocalizedText => ReadLocalizedText(),
        BuiltInType.ExtensionObject => ReadExtensionObject(),
        BuiltInType.DataValue => ReadDataValue(),
        BuiltInType.Variant => ReadVariant(),
        BuiltInType.DiagnosticInfo => ReadDiagnosticInfo(),
        _ => throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"built-in type {(int)type} is unknown")),
    };
}
