using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Writes;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.Writes;

/// <summary>
/// The <see cref="ITagWriter"/> of Modbus devices: writes go through the device's own master from
/// <see cref="ModbusMasters"/> (the one its poll loop uses), so they queue behind polls on the same
/// connection or RTU bus, with the device's timeout and quarantine. Every write is logged with its
/// outcome and counted. Thread-safe.
/// </summary>
internal sealed partial class ModbusTagWriter(ModbusMasters masters, ModbusMetrics metrics, ILogger<ModbusTagWriter> logger) : ITagWriter
{
    /// <inheritdoc />
    public bool Serves(string device) => masters.Find(device) is not null;

    /// <inheritdoc />
    public async ValueTask<TagWriteResult> WriteAsync(string device, string tag, TagValue value, CancellationToken cancellationToken)
    {
        var config = masters.Find(device);
        var tagConfig = config?.Tags.FirstOrDefault(t => string.Equals(t.Name, tag, StringComparison.Ordinal));
        var result = config is null || tagConfig is null
            ? new TagWriteResult(TagWriteStatus.NotWritable, TagValue.None, $"{device}/{tag}: no such Modbus {(config is null ? "device" : "tag")}")
            : await ModbusTagWrite.WriteAsync(masters.For(config), device, config.UnitId, tagConfig, value, cancellationToken);
        metrics.Write(device, result.Status);
        if (result.Status == TagWriteStatus.Confirmed)
        {
            LogWritten(logger, device, tag, value.ToString());
        }
        else
        {
            LogWriteFailed(logger, device, tag, value.ToString(), result.Status, result.Message);
        }

        return result;
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Modbus write {Device}/{Tag} = {Value} confirmed by read-back")]
    private static partial void LogWritten(ILogger logger, string device, string tag, string value);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Modbus write {Device}/{Tag} = {Value}: {Status}: {Detail}")]
    private static partial void LogWriteFailed(ILogger logger, string device, string tag, string value, TagWriteStatus status, string detail);
}
