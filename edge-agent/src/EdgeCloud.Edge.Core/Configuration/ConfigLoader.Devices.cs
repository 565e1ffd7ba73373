using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The device and tag part of <see cref="ConfigLoader"/>.</summary>
public static partial class ConfigLoader
{
    private static SiteConfig? ReadDevicesInto(JsonObjectReader owner)
    {
        var devicesElement = owner.Property("devices", required: true);
        if (devicesElement is null)
        {
            return null;
        }

        if (devicesElement.Value.ValueKind != JsonValueKind.Array)
        {
            owner.Error(owner.At("devices"), $"expected an array of devices, found {JsonObjectReader.Describe(devicesElement.Value)}");
            return null;
        }

        if (devicesElement.Value.GetArrayLength() == 0)
        {
            owner.Error(owner.At("devices"), "no device is configured; add at least one");
            return null;
        }

        var devices = new List<DeviceConfig>();
        var readers = new List<JsonObjectReader>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in devicesElement.Value.EnumerateArray())
        {
            var path = $"{owner.At("devices")}[{index++}]";
            var device = new JsonObjectReader(owner.File, path, element, owner.Errors);
            var parsed = ReadDevice(device);
            if (parsed is not null)
            {
                if (!names.Add(parsed.Name))
                {
                    device.Error(device.At("name"), $"device name '{parsed.Name}' is used twice");
                }

                devices.Add(parsed);
                readers.Add(device);
            }
        }

        CheckBuses(devices, readers);
        return new SiteConfig(devices) { Rules = ReadRules(owner, devices), Mqtt = ReadMqttSection(owner) };
    }

    private static DeviceConfig? ReadDevice(JsonObjectReader device)
    {
        if (!device.IsObject)
        {
            return null;
        }

        var name = device.String("name", required: true) ?? "";
        if (name.Length > 0 && !IsName(name))
        {
            device.Error(device.At("name"), $"'{name}' is not a valid name (letters, digits, '-', '_', '.'; at most 64)");
        }

        var protocol = device.String("protocol", required: true);
        DeviceConfig? result = protocol switch
        {
            null => null,
            ModbusTcpDeviceConfig.ProtocolName => ReadModbusTcp(device, name),
            ModbusRtuDeviceConfig.ProtocolName => ReadModbusRtu(device, name),
            ModbusRtuTcpDeviceConfig.ProtocolName => ReadModbusRtuTcp(device, name),
            MqttDeviceConfig.ProtocolName => ReadMqttDevice(device, name),
            SerialLineDeviceConfig.ProtocolName => ReadSerialLine(device, name),
            OpcUaDeviceConfig.ProtocolName => ReadOpcUa(device, name),
            _ => Unknown(device, protocol),
        };
        device.RejectUnknown();
        return result;
    }

    private static DeviceConfig? Unknown(JsonObjectReader device, string protocol)
    {
        device.Error(device.At("protocol"), $"unknown protocol '{protocol}' (expected one of: {ModbusTcpDeviceConfig.ProtocolName}, {ModbusRtuDeviceConfig.ProtocolName}, {ModbusRtuTcpDeviceConfig.ProtocolName}, {SerialLineDeviceConfig.ProtocolName}, {MqttDeviceConfig.ProtocolName}, {OpcUaDeviceConfig.ProtocolName})");
        return null;
    }

    private static ModbusTcpDeviceConfig ReadModbusTcp(JsonObjectReader device, string name)
    {
        var host = ReadHost(device);
        var port = (int)device.Integer("port", 1, 65535, 502);
        var unitId = (byte)device.Integer("unitId", 0, 255, 1);
        var (poll, timeout) = ReadTiming(device);
        var planning = ReadPlanning(device);
        var tags = ReadModbusTags(device, planning.Groups);
        return new ModbusTcpDeviceConfig(name, host, port, unitId, poll, timeout, tags) { Planning = planning };
    }

    private static string ReadHost(JsonObjectReader device)
    {
        var host = device.String("host", required: true) ?? "";
        if (host.Length > 0 && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            device.Error(device.At("host"), $"'{host}' is not a host name or IP address");
        }

        return host;
    }

    private static (TimeSpan Poll, TimeSpan Timeout) ReadTiming(JsonObjectReader device) =>
        (TimeSpan.FromMilliseconds(device.Integer("pollIntervalMs", 10, 86_400_000, 1000)),
         TimeSpan.FromMilliseconds(device.Integer("timeoutMs", 10, 600_000, 1000)));
}
