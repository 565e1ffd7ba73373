namespace EdgeCloud.Edge.Configuration;

/// <summary>The Modbus RTU part of <see cref="ConfigLoader"/>: serial and RTU-over-TCP devices, and the checks across a bus.</summary>
public static partial class ConfigLoader
{
    private static readonly int[] BaudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400];

    private static readonly Dictionary<string, SerialParity> Parities = new(StringComparer.Ordinal)
    {
        ["none"] = SerialParity.None,
        ["even"] = SerialParity.Even,
        ["odd"] = SerialParity.Odd,
    };

    private static ModbusRtuDeviceConfig ReadModbusRtu(JsonObjectReader device, string name)
    {
        var port = device.String("port", required: true) ?? "";
        if (port.Length > 0 && !port.StartsWith('/'))
        {
            device.Error(device.At("port"), $"'{port}' is not a device path (for example /dev/ttyUSB0 or /dev/serial/by-id/...)");
        }

        // Defaults are the Modbus over Serial Line defaults (v1.02, 2.5.1 and 3.3.1): 19200 baud, even parity.
        var baud = (int)device.Integer("baudRate", 1, 4_000_000, 19200);
        if (Array.IndexOf(BaudRates, baud) < 0)
        {
            device.Error(device.At("baudRate"), $"{baud} is not a standard rate (expected one of: {string.Join(", ", BaudRates)})");
        }

        var parity = device.Enum("parity", SerialParity.Even, required: false, Parities);
        var dataBits = (int)device.Integer("dataBits", 7, 8, 8);
        if (dataBits == 7)
        {
            device.Error(device.At("dataBits"), "Modbus RTU needs 8 data bits (7 is Modbus ASCII, which this agent does not speak)");
        }

        var stopBits = (int)device.Integer("stopBits", 1, 2, 1);
        var unitId = (byte)device.Integer("unitId", 1, 247, 1);
        var (poll, timeout) = ReadTiming(device);
        var planning = ReadPlanning(device);
        var tags = ReadModbusTags(device, planning.Groups);
        return new ModbusRtuDeviceConfig(name, new SerialLineConfig(port, baud, parity, dataBits, stopBits), unitId, poll, timeout, tags) { Planning = planning };
    }

    private static ModbusRtuTcpDeviceConfig ReadModbusRtuTcp(JsonObjectReader device, string name)
    {
        var host = ReadHost(device);
        var port = (int)device.Integer("port", 1, 65535, 0, required: true);
        var unitId = (byte)device.Integer("unitId", 1, 247, 1);
        var (poll, timeout) = ReadTiming(device);
        var planning = ReadPlanning(device);
        var tags = ReadModbusTags(device, planning.Groups);
        return new ModbusRtuTcpDeviceConfig(name, host, port, unitId, poll, timeout, tags) { Planning = planning };
    }

    /// <summary>
    /// Devices on one bus (the same serial port, or the same RTU-over-TCP endpoint) share one
    /// line: they must agree on its settings, and two devices with one unit id would answer the
    /// same request at once and garble each other.
    /// </summary>
    private static void CheckBuses(List<DeviceConfig> devices, List<JsonObjectReader> readers)
    {
        CheckSerialLinePorts(devices, readers);
        var buses = new Dictionary<string, (ModbusDeviceConfig Device, JsonObjectReader Reader, Dictionary<byte, string> Units)>(StringComparer.Ordinal);
        for (var i = 0; i < devices.Count; i++)
        {
            var key = devices[i] switch
            {
                ModbusRtuDeviceConfig rtu => "serial:" + rtu.Line.Port,
                ModbusRtuTcpDeviceConfig tcp => $"tcp:{tcp.Host.ToLowerInvariant()}:{tcp.Port}",
                _ => null,
            };
            if (key is null)
            {
                continue;
            }

            var device = (ModbusDeviceConfig)devices[i];
            var reader = readers[i];
            if (!buses.TryGetValue(key, out var bus))
            {
                buses[key] = (device, reader, new Dictionary<byte, string> { [device.UnitId] = device.Name });
                continue;
            }

            if (!bus.Units.TryAdd(device.UnitId, device.Name))
            {
                reader.Error(reader.At("unitId"), $"unit {device.UnitId} is already device '{bus.Units[device.UnitId]}' on {device.Endpoint}; each slave on a bus needs its own unit id");
            }

            if (device is ModbusRtuDeviceConfig line && bus.Device is ModbusRtuDeviceConfig first)
            {
                CheckSameLine(line.Line, first, reader);
            }
        }
    }

    /// <summary>A serial-line sensor has its port to itself: nothing else may open it.</summary>
    private static void CheckSerialLinePorts(List<DeviceConfig> devices, List<JsonObjectReader> readers)
    {
        for (var i = 0; i < devices.Count; i++)
        {
            if (devices[i] is not SerialLineDeviceConfig sensor)
            {
                continue;
            }

            for (var j = 0; j < devices.Count; j++)
            {
                var other = devices[j] switch
                {
                    ModbusRtuDeviceConfig rtu => rtu.Line.Port,
                    SerialLineDeviceConfig line when j < i => line.Line.Port,
                    _ => null,
                };
                if (j != i && string.Equals(other, sensor.Line.Port, StringComparison.Ordinal))
                {
                    readers[i].Error(readers[i].At("port"), $"{sensor.Line.Port} is already used by device '{devices[j].Name}'; a serial-line sensor needs a port of its own");
                    break;
                }
            }
        }
    }

    private static void CheckSameLine(SerialLineConfig line, ModbusRtuDeviceConfig first, JsonObjectReader reader)
    {
        void Differs(string field, object value, object expected) =>
            reader.Error(reader.At(field), $"{value} differs from {expected} of device '{first.Name}' on the same port {line.Port}; one bus has one setting");

        if (line.BaudRate != first.Line.BaudRate)
        {
            Differs("baudRate", line.BaudRate, first.Line.BaudRate);
        }

        if (line.Parity != first.Line.Parity)
        {
            Differs("parity", line.Parity.ToString().ToLowerInvariant(), first.Line.Parity.ToString().ToLowerInvariant());
        }

        if (line.DataBits != first.Line.DataBits)
        {
            Differs("dataBits", line.DataBits, first.Line.DataBits);
        }

        if (line.StopBits != first.Line.StopBits)
        {
            Differs("stopBits", line.StopBits, first.Line.StopBits);
        }
    }
}
