using System.IO.Ports;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.SerialLine;

/// <summary>
/// Reads one serial-line sensor until cancelled: opens its port, splits the bytes into lines at the
/// configured end (Latin-1, so no byte is ever undecodable), and publishes one point per field for
/// every line that parses. A bad line is counted and logged with its text (at most one log line per
/// <see cref="BadLineLogInterval"/>, saying how many were not logged), never thrown. A line longer
/// than <see cref="MaxLineLength"/> is bad too, and its rest is skipped up to the next line end. A
/// port that cannot be opened or fails publishes bad points for every field and is retried with
/// jittered backoff. Not thread-safe: <see cref="RunAsync"/> runs once.
/// </summary>
internal sealed partial class SerialLineReader(
    SerialLineDeviceConfig device, IPointSink sink, TimeProvider time, ModbusMetrics metrics, ILogger logger)
{
    /// <summary>Longest line accepted, in characters.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Least time between two logged bad lines of one device.</summary>
    public static readonly TimeSpan BadLineLogInterval = TimeSpan.FromSeconds(10);

    private readonly SerialLineParser _parser = new(device);
    private readonly ReconnectBackoff _backoff = new();
    private readonly char[] _line = new char[MaxLineLength];
    private int _length;
    private string? _overflowHead;
    private bool _everOpened;
    private long _lastBadLog = long.MinValue;
    private int _unloggedBadLines;

    /// <summary>Reads until <paramref name="cancellationToken"/> is cancelled; never throws for a device failure.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                string reason;
                try
                {
                    await ReadPortAsync(cancellationToken);
                    return;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
                {
                    reason = ex is UnauthorizedAccessException ? "permission denied (is the agent's user in group dialout?)" : ex.Message;
                }

                var quality = _everOpened ? PointQuality.BadCommunication : PointQuality.BadNotConnected;
                await PublishBadAsync(quality, cancellationToken);
                var delay = _backoff.Next();
                LogDown(logger, device.Name, device.Line.Port, reason, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task ReadPortAsync(CancellationToken cancellationToken)
    {
        var parity = device.Line.Parity switch
        {
            SerialParity.Even => Parity.Even,
            SerialParity.Odd => Parity.Odd,
            _ => Parity.None,
        };
        using var port = new SerialPort(device.Line.Port, device.Line.BaudRate, parity, device.Line.DataBits, device.Line.StopBits == 2 ? StopBits.Two : StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
        };
        port.Open();
        _everOpened = true;
        _backoff.Reset();
        _length = 0;
        _overflowHead = null;
        LogOpened(logger, device.Name, device.Line.Port, device.Line.BaudRate);
        var buffer = new byte[1024];
        var stream = port.BaseStream;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"{device.Line.Port} was closed");
            }

            for (var i = 0; i < read; i++)
            {
                await AcceptAsync((char)buffer[i], cancellationToken);
            }
        }
    }

    /// <summary>Takes one character (Latin-1: byte value = code point); a completed line is handled at once.</summary>
    private async ValueTask AcceptAsync(char c, CancellationToken cancellationToken)
    {
        var end = device.LineEnd;
        if (_length == MaxLineLength)
        {
            // Too long: remember its start for the report, keep only what may begin the line end.
            _overflowHead ??= new string(_line, 0, 80);
            Array.Copy(_line, _length - (end.Length - 1), _line, 0, end.Length - 1);
            _length = end.Length - 1;
        }

        _line[_length++] = c;
        if (_length < end.Length || !_line.AsSpan(_length - end.Length, end.Length).SequenceEqual(end))
        {
            return;
        }

        var text = new string(_line, 0, _length - end.Length).TrimEnd('\r');
        var overflowHead = _overflowHead;
        _length = 0;
        _overflowHead = null;
        if (overflowHead is not null)
        {
            BadLine($"longer than {MaxLineLength} characters", overflowHead + "...");
            return;
        }

        if (text.Length == 0)
        {
            return;
        }

        await HandleLineAsync(text, cancellationToken);
    }

    private async ValueTask HandleLineAsync(string text, CancellationToken cancellationToken)
    {
        var values = new TagValue[device.Fields.Count];
        switch (_parser.Parse(text, values, out var reason))
        {
            case SerialLineParser.Outcome.Parsed:
                metrics.Line(device.Name, "parsed");
                var at = time.GetUtcNow();
                var points = new DataPoint[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    points[i] = new DataPoint(device.Name, device.Fields[i].Tag, at, values[i], PointQuality.Good);
                }

                await sink.PublishAsync(points, cancellationToken);
                break;
            case SerialLineParser.Outcome.Bad:
                BadLine(reason!, text);
                break;
            default:
                metrics.Line(device.Name, "skipped");
                break;
        }
    }

    private void BadLine(string reason, string text)
    {
        metrics.Line(device.Name, "bad");
        var now = time.GetTimestamp();
        if (_lastBadLog != long.MinValue && time.GetElapsedTime(_lastBadLog, now) < BadLineLogInterval)
        {
            _unloggedBadLines++;
            return;
        }

        LogBadLine(logger, device.Name, reason, Printable(text), _unloggedBadLines);
        _lastBadLog = now;
        _unloggedBadLines = 0;
    }

    private ValueTask PublishBadAsync(PointQuality quality, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var points = device.Fields.Select(f => new DataPoint(device.Name, f.Tag, at, TagValue.None, quality)).ToArray();
        return sink.PublishAsync(points, cancellationToken);
    }

    // A log line must stay one line: control characters are shown as \xNN.
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:X2}" : c.ToString()));

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Serial-line device {Device} reading {Port} at {Baud} baud")]
    private static partial void LogOpened(ILogger logger, string device, string port, int baud);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Serial-line device {Device} cannot read {Port}: {Reason}; retrying in {RetryIn}")]
    private static partial void LogDown(ILogger logger, string device, string port, string reason, TimeSpan retryIn);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Serial-line device {Device}: bad line ({Reason}): \"{Line}\" ({Unlogged} more bad lines since the last report)")]
    private static partial void LogBadLine(ILogger logger, string device, string reason, string line, int unlogged);
}
