using System.Diagnostics.Metrics;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Counters of the Modbus sources (meter <see cref="MeterName"/>), each tagged with the device name:
/// polls made, polls with at least one failed read (tagged with the reason), reconnect attempts, exception responses (tagged with the code) and tag writes (tagged with the outcome).
/// </summary>
internal sealed class ModbusMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "EdgeCloud.Edge.Modbus";

    private readonly Counter<long> _polls;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _writes;
    private readonly Counter<long> _exceptions;
    private readonly Counter<long> _lines;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public ModbusMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _polls = meter.CreateCounter<long>("edge_modbus_polls", "{poll}", "Polls of a Modbus device");
        _errors = meter.CreateCounter<long>("edge_modbus_poll_errors", "{error}", "Failed reads or connects, by reason");
        _reconnects = meter.CreateCounter<long>("edge_modbus_reconnects", "{attempt}", "Connection attempts after the link was down");
        _writes = meter.CreateCounter<long>("edge_modbus_writes", "{write}", "Tag writes, by outcome");
        _exceptions = meter.CreateCounter<long>("edge_modbus_exceptions", "{response}", "Exception responses, by code");
        _lines = meter.CreateCounter<long>("edge_serial_lines", "{line}", "Lines from serial-line sensors, by outcome (parsed, skipped, bad)");
    }

    /// <summary>Counts one poll of <paramref name="device"/>.</summary>
    public void Poll(string device) => _polls.Add(1, new KeyValuePair<string, object?>("device", device));

    /// <summary>Counts one failure of <paramref name="device"/> with a short reason (timeout, exception, transport, protocol, decode).</summary>
    public void Error(string device, string reason) =>
        _errors.Add(1, new KeyValuePair<string, object?>("device", device), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts one exception response of <paramref name="device"/>, tagged with its code (for example "02 IllegalDataAddress").</summary>
    public void Exception(string device, Protocol.ModbusExceptionCode code) =>
        _exceptions.Add(1, new KeyValuePair<string, object?>("device", device), new KeyValuePair<string, object?>("code", Protocol.ModbusExceptionQuality.Name(code)));

    /// <summary>Counts one line of serial-line sensor <paramref name="device"/> with its outcome.</summary>
    public void Line(string device, string outcome) =>
        _lines.Add(1, new KeyValuePair<string, object?>("device", device), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts one tag write of <paramref name="device"/> with its outcome.</summary>
    public void Write(string device, EdgeCloud.Edge.Writes.TagWriteStatus status) =>
        _writes.Add(1, new KeyValuePair<string, object?>("device", device), new KeyValuePair<string, object?>("status", status.ToString()));

    /// <summary>Counts one reconnect attempt of <paramref name="device"/>.</summary>
    public void Reconnect(string device) => _reconnects.Add(1, new KeyValuePair<string, object?>("device", device));
}
