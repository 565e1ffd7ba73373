using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EdgeCloud.Edge.OpcUa.Encoding;

/// <summary>
/// Reads UA Binary (OPC 10000-6 §5.2) from a byte range. Invariants: it never reads outside the
/// range; every length prefix is checked against the bytes left and against
/// <see cref="UaEncodingLimits"/> before anything is allocated; nesting is bounded. Any violation
/// throws <see cref="UaDecodeException"/> and nothing else.
/// </summary>
internal sealed partial class UaBinaryReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly byte[] _buffer;
    private readonly int _end;
    private int _position;
    private int _depth;

    public UaBinaryReader(byte[] buffer, UaEncodingLimits? limits = null)
        : this(buffer, 0, buffer?.Length ?? 0, limits)
    {
    }

    public UaBinaryReader(byte[] buffer, int offset, int count, UaEncodingLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - offset);
        _buffer = buffer;
        _position = offset;
        _end = offset + count;
        Limits = limits ?? UaEncodingLimits.Default;
    }

    public UaEncodingLimits Limits { get; }

    /// <summary>Bytes not read yet.</summary>
    public int Remaining => _end - _position;

    /// <summary>Absolute position in the buffer.</summary>
    public int Position => _position;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"truncated: {count} bytes needed at offset {_position}, {Remaining} left"));
        }

        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    public void Skip(int count) => Take(count);

    public bool ReadBoolean() => Take(1)[0] != 0;

    public byte ReadByte() => Take(1)[0];

    public sbyte ReadSByte() => (sbyte)Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public uint ReadStatusCode() => ReadUInt32();

    public Guid ReadGuid() => new(Take(16));

    /// <summary>A DateTime: 100 ns ticks since 1601-01-01 UTC; 0 and out-of-range values clamp as §5.2.2.5 says.</summary>
    public DateTime ReadDateTime()
    {
        var ticks = ReadInt64();
        if (ticks <= 0)
        {
            return DateTime.MinValue;
        }

        return ticks >= DateTime.MaxValue.Ticks - EpochTicks ? DateTime.MaxValue : new DateTime(EpochTicks + ticks, DateTimeKind.Utc);
    }

    /// <summary>Ticks of 1601-01-01, the UA epoch.</summary>
    public static readonly long EpochTicks = new DateTime(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>A length-prefixed UTF-8 string; -1 is null.</summary>
    public string? ReadString()
    {
        var length = ReadLength(Limits.MaxStringLength, "string");
        if (length < 0)
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(Take(length));
        }
        catch (DecoderFallbackException ex)
        {
            throw new UaDecodeException($"string at offset {_position - length} is not valid UTF-8", ex);
        }
    }

    /// <summary>A length-prefixed byte string; -1 is null.</summary>
    public byte[]? ReadByteString()
    {
        var length = ReadLength(Limits.MaxByteStringLength, "byte string");
        return length < 0 ? null : Take(length).ToArray();
    }

    /// <summary>An array length prefix, checked so that <paramref name="minElementSize"/> bytes per element fit.</summary>
    public int ReadArrayLength(int minElementSize = 1)
    {
        var length = ReadLength(Limits.MaxArrayLength, "array");
        if (length > 0 && (long)length * minElementSize > Remaining)
        {
            throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"array of {length} elements cannot fit in the {Remaining} bytes left"));
        }

        return length;
    }

    /// <summary>An array of <typeparamref name="T"/>; null when the length is -1.</summary>
    public T[]? ReadArray<T>(Func<UaBinaryReader, T> readElement, int minElementSize = 1)
    {
        ArgumentNullException.ThrowIfNull(readElement);
        var length = ReadArrayLength(minElementSize);
        if (length < 0)
        {
            return null;
        }

        var items = new T[length];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = readElement(this);
        }

        return items;
    }

    /// <summary>Like <see cref="ReadArray{T}"/> but an absent array reads as empty.</summary>
    public T[] ReadList<T>(Func<UaBinaryReader, T> readElement, int minElementSize = 1) =>
        ReadArray(readElement, minElementSize) ?? [];

    private int ReadLength(int limit, string what)
    {
        var length = ReadInt32();
        if (length < -1)
        {
            throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"{what} length {length} is negative"));
        }

        if (length > limit)
        {
            throw new UaDecodeException(StatusCodes.BadEncodingLimitsExceeded, string.Create(CultureInfo.InvariantCulture, $"{what} length {length} exceeds the limit of {limit}"));
        }

        if (length > Remaining)
        {
            throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"{what} length {length} exceeds the {Remaining} bytes left"));
        }

        return length;
    }

    private void Enter()
    {
        if (++_depth > Limits.MaxNestingDepth)
        {
            throw new UaDecodeException(StatusCodes.BadEncodingLimitsExceeded, string.Create(CultureInfo.InvariantCulture, $"nesting deeper than {Limits.MaxNestingDepth}"));
        }
    }

    private void Leave() => _depth--;
}
