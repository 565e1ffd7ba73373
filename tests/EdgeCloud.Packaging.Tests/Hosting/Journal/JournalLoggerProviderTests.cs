using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using EdgeCloud.Edge.Agent.Hosting.Journal;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Packaging.Tests.Hosting.Journal;

/// <summary>
/// The journal writer against a real AF_UNIX datagram socket of the test's own, bound where journald's
/// would be: what arrives is parsed with the native protocol's rules (systemd.io JOURNAL_NATIVE_PROTOCOL).
/// </summary>
public sealed partial class JournalLoggerProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgecloud-journal-").FullName;
    private readonly Socket _journal = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public JournalLoggerProviderTests()
    {
        _journal.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _journal.ReceiveTimeout = 5000;
    }

    private string SocketPath => Path.Combine(_dir, "socket");

    [Fact]
    public void Log_SourceGeneratedMessage_ArrivesWithStructuredFields()
    {
        using var provider = new JournalLoggerProvider(SocketPath);
        var logger = provider.CreateLogger("EdgeCloud.Edge.Modbus.Polling.ModbusPollingService");

        LogDeviceDead(logger, "plc1", "temperature", "ConnectionRefused");

        var fields = Receive();
        Assert.Equal("Modbus device plc1 tag temperature dead: ConnectionRefused", fields["MESSAGE"]);
        Assert.Equal("4", fields["PRIORITY"]);
        Assert.Equal("edge-agent", fields["SYSLOG_IDENTIFIER"]);
        Assert.Equal("4002", fields["EVENT_ID"]);
        Assert.Equal("plc1", fields["DEVICE"]);
        Assert.Equal("temperature", fields["TAG"]);
        Assert.Equal("ConnectionRefused", fields["REASON_TEXT"]);
        Assert.Equal("EdgeCloud.Edge.Modbus.Polling.ModbusPollingService", fields["LOGGER"]);
        Assert.False(fields.ContainsKey("ORIGINAL_FORMAT"));
    }

    [Fact]
    public void Log_MultilineMessageAndException_SentWithBinaryLengthFraming()
    {
        using var provider = new JournalLoggerProvider(SocketPath);
        var logger = provider.CreateLogger("test");
        var error = new InvalidOperationException("outbox failed");

        logger.LogCritical(new EventId(2100, "OutboxFailed"), error, "first line\nsecond line for {CommandId}", "cmd-7");

        var fields = Receive();
        Assert.Equal("first line\nsecond line for cmd-7", fields["MESSAGE"]);
        Assert.Equal("2", fields["PRIORITY"]);
        Assert.Equal("cmd-7", fields["COMMAND_ID"]);
        Assert.StartsWith("System.InvalidOperationException: outbox failed", fields["EXCEPTION"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Device", "DEVICE")]
    [InlineData("CommandId", "COMMAND_ID")]
    [InlineData("tag", "TAG")]
    [InlineData("{OriginalFormat}", null)]
    [InlineData("9lives", null)]
    public void FieldName_Placeholder_JournalName(string placeholder, string? expected) =>
        Assert.Equal(expected, JournalEntry.FieldName(placeholder));

    [Fact]
    public void StderrIsJournal_InheritedJournalStreamWhileStderrIsAPipe_False()
    {
        // The test host's stderr is not a socket systemd gave it: whatever JOURNAL_STREAM says, the agent keeps the console.
        var stderr = new FileInfo("/proc/self/fd/2").LinkTarget ?? string.Empty;
        var inode = stderr.StartsWith("socket:[", StringComparison.Ordinal) ? stderr[8..^1] : null;

        Assert.False(JournalLoggerProvider.StderrIsJournal("8:12345678"));
        Assert.False(JournalLoggerProvider.StderrIsJournal(null));
        Assert.False(JournalLoggerProvider.StderrIsJournal("garbage"));
        Assert.Equal(inode is not null, JournalLoggerProvider.StderrIsJournal($"8:{inode}"));
    }

    public void Dispose()
    {
        _journal.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Reads one datagram and decodes it as journald does: NAME=value lines, or NAME, a 64-bit LE length, the bytes.</summary>
    private Dictionary<string, string> Receive()
    {
        var buffer = new byte[256 * 1024];
        var length = _journal.Receive(buffer);
        var data = buffer.AsSpan(0, length);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!data.IsEmpty)
        {
            var end = data.IndexOfAny((byte)'=', (byte)'\n');
            Assert.True(end > 0, "a field without a name");
            var name = Encoding.ASCII.GetString(data[..end]);
            if (data[end] == (byte)'=')
            {
                var line = data[(end + 1)..];
                var stop = line.IndexOf((byte)'\n');
                fields.Add(name, Encoding.UTF8.GetString(line[..stop]));
                data = line[(stop + 1)..];
            }
            else
            {
                var size = (int)BinaryPrimitives.ReadUInt64LittleEndian(data[(end + 1)..]);
                var value = data.Slice(end + 9, size);
                Assert.Equal((byte)'\n', data[end + 9 + size]);
                fields.Add(name, Encoding.UTF8.GetString(value));
                data = data[(end + 10 + size)..];
            }
        }

        return fields;
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Modbus device {Device} tag {Tag} dead: {ReasonText}")]
    private static partial void LogDeviceDead(ILogger logger, string device, string tag, string reasonText);
}
