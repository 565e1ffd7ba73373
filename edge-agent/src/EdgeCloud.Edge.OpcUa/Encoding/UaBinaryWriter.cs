using System.Buffers.Binary;

namespace EdgeCloud.Edge.OpcUa.Encoding;

/// <summary>
/// Writes UA Binary (OPC 10000-6 §5.2) into a growing buffer. Not thread-safe; one writer per
/// message. <see cref="PatchUInt32"/> lets a chunk writer fill in a size once it is known.
/// </summary>
internal sealed partial class UaBinaryWriter
{
    private byte[] _buffer;
    private int _length;

    public UaBinaryWriter(int capacity = 256)
    {
        _buffer = new byte[Math.Max(capacity, 16)];
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far (a view, valid until the next write).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public void PatchUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(offset, 4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    public void WriteBoolean(bool value) => Grow(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteByte(byte value) => Grow(1)[0] = value;

    public void WriteSByte(sbyte value) => Grow(1)[0] = (byte)value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Grow(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Grow(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Grow(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Grow(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Grow(8), value);

    public void WriteFloat(float value) => BinaryPrimitives.WriteSingleLittleEndian(Grow(4), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Grow(8), value);

    public void WriteGuid(Guid value)
    {
        if (!value.TryWriteBytes(Grow(16)))
        {
            throw new InvalidOperationException("a GUID did not fit in 16 bytes");
        }
    }

    public void WriteDateTime(DateTime value)
    {
        if (value <= DateTime.MinValue || value.Ticks <= UaBinaryReader.EpochTicks)
        {
            WriteInt64(0);
            return;
        }

        WriteInt64(value == DateTime.MaxValue ? long.MaxValue : value.ToUniversalTime().Ticks - UaBinaryReader.EpochTicks);
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var count = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteInt32(count);
        System.Text.Encoding.UTF8.GetBytes(value, Grow(count));
    }

    public void WriteByteString(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        WriteBytes(value);
    }

    public void WriteByteString(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteByteString(value.AsSpan());
    }

    /// <summary>Writes an array; null writes length -1.</summary>
    public void WriteArray<T>(IReadOnlyList<T>? items, Action<UaBinaryWriter, T> writeElement)
    {
        ArgumentNullException.ThrowIfNull(writeElement);
        if (items is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteInt32(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            writeElement(this, items[i]);
        }
    }

}
