namespace EdgeCloud.Edge.OpcUa.Encoding;

/// <summary>The structured built-in types.</summary>
internal sealed partial class UaBinaryWriter
{
    public void WriteNodeId(NodeId value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteNodeIdCore(value, 0);
    }

    private void WriteNodeIdCore(NodeId value, byte flags)
    {
        switch (value.IdType)
        {
            // The compact forms of §5.2.2.9 where they fit.
            case NodeIdType.Numeric when value.NamespaceIndex == 0 && value.Numeric <= byte.MaxValue:
                WriteByte((byte)(0x00 | flags));
                WriteByte((byte)value.Numeric);
                break;
            case NodeIdType.Numeric when value.NamespaceIndex <= byte.MaxValue && value.Numeric <= ushort.MaxValue:
                WriteByte((byte)(0x01 | flags));
                WriteByte((byte)value.NamespaceIndex);
                WriteUInt16((ushort)value.Numeric);
                break;
            case NodeIdType.Numeric:
                WriteByte((byte)(0x02 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteUInt32(value.Numeric);
                break;
            case NodeIdType.String:
                WriteByte((byte)(0x03 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteString((string)value.Identifier!);
                break;
            case NodeIdType.Guid:
                WriteByte((byte)(0x04 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteGuid((Guid)value.Identifier!);
                break;
            default:
                WriteByte((byte)(0x05 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteByteString((byte[])value.Identifier!);
                break;
        }
    }

    public void WriteExpandedNodeId(ExpandedNodeId value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var flags = (byte)((value.NamespaceUri is not null ? 0x80 : 0) | (value.ServerIndex != 0 ? 0x40 : 0));
        WriteNodeIdCore(value.NodeId, flags);
        if (value.NamespaceUri is not null)
        {
            WriteString(value.NamespaceUri);
        }

        if (value.ServerIndex != 0)
        {
            WriteUInt32(value.ServerIndex);
        }
    }

    public void WriteQualifiedName(QualifiedName value)
    {
        WriteUInt16(value.NamespaceIndex);
        WriteString(value.Name);
    }

    public void WriteLocalizedText(LocalizedText value)
    {
        var mask = (byte)((value.Locale is not null ? 1 : 0) | (value.Text is not null ? 2 : 0));
        WriteByte(mask);
        if (value.Locale is not null)
        {
            WriteString(value.Locale);
        }

        if (value.Text is not null)
        {
            WriteString(value.Text);
        }
    }

    public void WriteExtensionObject(ExtensionObject? value)
    {
        value ??= ExtensionObject.Null;
        WriteNodeId(value.TypeId);
        if (value.Body is null || value.Encoding == 0)
        {
            WriteByte(0);
            return;
        }

        WriteByte(value.Encoding);
        WriteByteString(value.Body);
    }

    public void WriteDiagnosticInfo(DiagnosticInfo? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        var mask = (byte)((value.AdditionalInfo is not null ? 0x10 : 0) | (value.InnerStatusCode != 0 ? 0x20 : 0) | (value.Inner is not null ? 0x40 : 0));
        WriteByte(mask);
        if (value.AdditionalInfo is not null)
        {
            WriteString(value.AdditionalInfo);
        }

        if (value.InnerStatusCode != 0)
        {
            WriteUInt32(value.InnerStatusCode);
        }

        if (value.Inner is not null)
        {
            WriteDiagnosticInfo(value.Inner);
        }
    }

    public void WriteDataValue(DataValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var mask = (byte)((value.Value.IsNull ? 0 : 0x01) | (value.Status != 0 ? 0x02 : 0) |
            (value.SourceTimestamp is not null ? 0x04 : 0) | (value.ServerTimestamp is not null ? 0x08 : 0));
        WriteByte(mask);
        if (!value.Value.IsNull)
        {
            WriteVariant(value.Value);
        }

        if (value.Status != 0)
        {
            WriteUInt32(value.Status);
        }

        if (value.SourceTimestamp is { } source)
        {
            WriteDateTime(source);
        }

        if (value.ServerTimestamp is { } server)
        {
            WriteDateTime(server);
        }
    }

    public void WriteVariant(Variant value)
    {
        if (value.IsNull)
        {
            WriteByte(0);
            return;
        }

        var mask = (byte)value.Type;
        if (value.IsArray)
        {
            var array = (Array)value.Value!;
            mask |= 0x80;
            if (value.Dimensions is not null)
            {
                mask |= 0x40;
            }

            WriteByte(mask);
            WriteInt32(array.Length);
            foreach (var item in array)
            {
                WriteScalar(value.Type, item);
            }

            if (value.Dimensions is not null)
            {
                WriteArray(value.Dimensions, (w, d) => w.WriteInt32(d));
            }

            return;
        }

        WriteByte(mask);
        WriteScalar(value.Type, value.Value);
    }

    private void WriteScalar(BuiltInType type, object? value)
    {
        switch (type)
        {
            case BuiltInType.Boolean: WriteBoolean((bool)value!); break;
            case BuiltInType.SByte: WriteSByte((sbyte)value!); break;
            case BuiltInType.Byte: WriteByte((byte)value!); break;
            case BuiltInType.Int16: WriteInt16((short)value!); break;
            case BuiltInType.UInt16: WriteUInt16((ushort)value!); break;
            case BuiltInType.Int32: WriteInt32((int)value!); break;
            case BuiltInType.UInt32 or BuiltInType.StatusCode: WriteUInt32((uint)value!); break;
            case BuiltInType.Int64: WriteInt64((long)value!); break;
            case BuiltInType.UInt64: WriteUInt64((ulong)value!); break;
            case BuiltInType.Float: WriteFloat((float)value!); break;
            case BuiltInType.Double: WriteDouble((double)value!); break;
            case BuiltInType.String or BuiltInType.XmlElement: WriteString((string?)value); break;
            case BuiltInType.DateTime: WriteDateTime((DateTime)value!); break;
            case BuiltInType.Guid: WriteGuid((Guid)value!); break;
            case BuiltInType.ByteString: WriteByteString((byte[]?)value); break;
            case BuiltInType.NodeId: WriteNodeId((NodeId)value!); break;
            case BuiltInType.ExpandedNodeId: WriteExpandedNodeId((ExpandedNodeId)value!); break;
            case BuiltInType.QualifiedName: WriteQualifiedName((QualifiedName)value!); break;
            case BuiltInType.LocalizedText: WriteLocalizedText((LocalizedText)value!); break;
            case BuiltInType.ExtensionObject: WriteExtensionObject((ExtensionObject?)value); break;
            case BuiltInType.DataValue: WriteDataValue((DataValue)value!); break;
            case BuiltInType.Variant: WriteVariant((Variant)value!); break;
            case BuiltInType.DiagnosticInfo: WriteDiagnosticInfo((DiagnosticInfo?)value); break;
            default: throw new ArgumentException($"built-in type {type} cannot be encoded", nameof(type));
        }
    }
}
