using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace EdgeCloud.Edge.Agent.Hosting.Journal;

/// <summary>
/// One journal entry in journald's native protocol (systemd.io JOURNAL_NATIVE_PROTOCOL): fields in one
/// datagram, <c>NAME=value\n</c> each, or, for a value holding a newline, <c>NAME\n</c>, the value's length
/// as a 64-bit little-endian integer, the value and <c>\n</c>. Names are upper-case letters, digits and
/// underscores, starting with a letter (journald drops other fields). Values longer than
/// <see cref="MaxValueBytes"/> are cut, so that an entry always fits in one datagram (the protocol's
/// memfd path for huge entries is not used).
/// </summary>
internal sealed class JournalEntry
{
    /// <summary>Longest value sent, in UTF-8 bytes.</summary>
    public const int MaxValueBytes = 32 * 1024;

    private const int MaxNameLength = 64;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>Adds a field; a name that journald would refuse is skipped.</summary>
    public JournalEntry Add(string name, string? value)
    {
        if (value is null || !IsValidName(name))
        {
            return this;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        var length = Math.Min(bytes.Length, MaxValueBytes);
        _buffer.Write(Encoding.ASCII.GetBytes(name).AsSpan());
        if (bytes.AsSpan(0, length).Contains((byte)'\n'))
        {
            Span<byte> size = stackalloc byte[9];
            size[0] = (byte)'\n';
            BinaryPrimitives.WriteUInt64LittleEndian(size[1..], (ulong)length);
            _buffer.Write<byte>(size);
        }
        else
        {
            _buffer.Write("="u8);
        }

        _buffer.Write(bytes.AsSpan(0, length));
        _buffer.Write("\n"u8);
        return this;
    }

    /// <summary>The datagram.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.WrittenSpan;

    /// <summary>
    /// A journal field name for a structured-logging placeholder: <c>CommandId</c> becomes <c>COMMAND_ID</c>,
    /// <c>device</c> <c>DEVICE</c>; null when nothing usable is left.
    /// </summary>
    public static string? FieldName(string placeholder)
    {
        var name = new StringBuilder(placeholder.Length + 4);
        for (var i = 0; i < placeholder.Length && name.Length < MaxNameLength; i++)
        {
            var c = placeholder[i];
            if (char.IsAsciiLetterUpper(c) && i > 0 && (char.IsAsciiLetterLower(placeholder[i - 1]) || char.IsAsciiDigit(placeholder[i - 1])))
            {
                name.Append('_');
            }

            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        var text = name.ToString();
        return IsValidName(text) ? text : null;
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && char.IsAsciiLetterUpper(name[0])
        && name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');
}
