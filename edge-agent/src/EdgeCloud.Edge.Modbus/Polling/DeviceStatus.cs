using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Remembers what was last said about one device and logs only changes: connected, lost (with the
/// reason), not answering / answering again, an exception code appearing or clearing, tags failing
/// to decode, corrupt replies on an RTU line. A device that stays down for a day logs once, not once per poll.
/// </summary>
internal sealed partial class DeviceStatus(ModbusDeviceConfig device, ILogger logger)
{
    private enum Link
    {
        Unknown,
        Up,
        Down,
    }

    private Link _link = Link.Unknown;
    private bool _timingOut;
    private ModbusExceptionCode? _exception;
    private bool _decodeFailing;
    private bool _corruptFrames;
    private string? _lastUnexpected;

    /// <summary>The link was opened.</summary>
    public void Connected()
    {
        if (_link != Link.Up)
        {
            LogConnected(logger, device.Name, device.Endpoint, device.UnitId);
            _link = Link.Up;
        }
    }

    /// <summary>The link could not be opened or was lost.</summary>
    public void Down(string reason, bool everConnected, TimeSpan retryIn)
    {
        if (_link == Link.Down)
        {
            return;
        }

        if (everConnected)
        {
            LogLost(logger, device.Name, reason, retryIn);
        }
        else
        {
            LogUnreachable(logger, device.Name, reason);
        }

        _link = Link.Down;
    }

    /// <summary>A request timed out.</summary>
    public void TimedOut(TimeSpan timeout)
    {
        if (!_timingOut)
        {
            LogNotAnswering(logger, device.Name, device.UnitId, timeout);
            _timingOut = true;
        }
    }

    /// <summary>The device answered every request of a poll (possibly with exception responses).</summary>
    public void Answered(ModbusExceptionCode? exception, int decodeFailures, int corruptFrames = 0)
    {
        if (_timingOut)
        {
            LogAnsweringAgain(logger, device.Name);
            _timingOut = false;
        }

        if (exception != _exception)
        {
            if (exception is { } code)
            {
                LogExceptionAppeared(logger, device.Name, (byte)code, code);
            }
            else
            {
                LogExceptionCleared(logger, device.Name);
            }

            _exception = exception;
        }

        if (corruptFrames == 0)
        {
            _corruptFrames = false;
        }

        if (_decodeFailing && decodeFailures == 0)
        {
            LogDecodeCleared(logger, device.Name);
            _decodeFailing = false;
        }
    }

    /// <summary>A reply was rejected as corrupt (CRC, cut short, not a reply to the request).</summary>
    public void CorruptFrame(ModbusCorruptFrameException ex)
    {
        if (!_corruptFrames)
        {
            LogCorruptFrames(logger, device.Name, ex.Kind, ex.Message);
            _corruptFrames = true;
        }
    }

    /// <summary>A tag's registers did not decode.</summary>
    public void DecodeFailed(ModbusTagConfig tag)
    {
        if (!_decodeFailing)
        {
            LogDecodeFailed(logger, device.Name, tag.Name, tag.DataType, tag.ByteOrder, tag.Address);
            _decodeFailing = true;
        }
    }

    /// <summary>Something that is not a device failure broke a poll (a bug or a failing sink).</summary>
    public void Unexpected(Exception ex)
    {
        if (!string.Equals(_lastUnexpected, ex.Message, StringComparison.Ordinal))
        {
            LogUnexpected(logger, ex, device.Name);
            _lastUnexpected = ex.Message;
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Modbus device {Device} connected ({Endpoint}, unit {UnitId})")]
    private static partial void LogConnected(ILogger logger, string device, string endpoint, byte unitId);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Modbus device {Device} lost: {Reason}; reconnecting with backoff (next in {RetryIn})")]
    private static partial void LogLost(ILogger logger, string device, string reason, TimeSpan retryIn);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Modbus device {Device} cannot be reached: {Reason}; retrying with backoff")]
    private static partial void LogUnreachable(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Modbus device {Device} unit {UnitId} does not answer within {Timeout} (wrong unit id, or device busy?)")]
    private static partial void LogNotAnswering(ILogger logger, string device, byte unitId, TimeSpan timeout);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Modbus device {Device} answers again")]
    private static partial void LogAnsweringAgain(ILogger logger, string device);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Modbus device {Device} returns exception {Code:X2} ({Name})")]
    private static partial void LogExceptionAppeared(ILogger logger, string device, byte code, ModbusExceptionCode name);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Modbus device {Device} no longer returns exceptions")]
    private static partial void LogExceptionCleared(ILogger logger, string device);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Modbus device {Device} tag {Tag} ({Type} {Order} at {Address}) does not decode to a finite value; check type, byte order and address")]
    private static partial void LogDecodeFailed(ILogger logger, string device, string tag, ModbusDataType type, ByteOrder order, ushort address);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Modbus device {Device} tags decode again")]
    private static partial void LogDecodeCleared(ILogger logger, string device);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Modbus device {Device} sends corrupt replies ({Kind}: {Detail}); check wiring, termination, baud rate and parity")]
    private static partial void LogCorruptFrames(ILogger logger, string device, CorruptFrameKind kind, string detail);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "Modbus device {Device}: poll failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string device);
}
