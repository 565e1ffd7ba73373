using System.Text;
using System.Text.Json;
using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>The sample site config of <see cref="SimulatorRegisterMap"/>.</summary>
internal sealed partial class SimulatorRegisterMap
{
    /// <summary>
    /// A site config (the <c>devices</c> format <see cref="ConfigLoader.TryParseSite"/> reads) with one
    /// <c>modbus-tcp</c> device at <paramref name="host"/>:<paramref name="port"/> whose tags decode every
    /// simulated value of <see cref="Tags"/>.
    /// </summary>
    public static string SampleSiteConfigJson(
        string host,
        int port,
        string deviceName = "simulator",
        byte unitId = 1,
        int pollIntervalMs = 1000,
        int timeoutMs = 1000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceName);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("devices");
            json.WriteStartObject();
            json.WriteString("name", deviceName);
            json.WriteString("protocol", ModbusTcpDeviceConfig.ProtocolName);
            json.WriteString("host", host);
            json.WriteNumber("port", port);
            json.WriteNumber("unitId", unitId);
            json.WriteNumber("pollIntervalMs", pollIntervalMs);
            json.WriteNumber("timeoutMs", timeoutMs);
            json.WriteStartArray("tags");
            foreach (var tag in Tags)
            {
                json.WriteStartObject();
                json.WriteString("name", tag.Name);
                json.WriteString("area", tag.Area == ModbusRegisterArea.Holding ? "holding" : "input");
                json.WriteNumber("address", tag.Address);
                json.WriteString("type", tag.Type.ToString().ToLowerInvariant());
                json.WriteString("byteOrder", tag.Order.ToString());
                json.WriteNumber("scale", tag.Scale);
                json.WriteNumber("offset", tag.Offset);
                json.WriteString("unit", tag.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
