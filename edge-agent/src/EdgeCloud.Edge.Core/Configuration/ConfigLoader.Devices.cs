using System.Text.Json;

namespace EdgeCloud.Edge.Configuration;

/// <summary>The device and tag part of <see cref="ConfigLoader"/>.</summary>
public static partial class ConfigLoader
{
    private static readonly Dictionary<string, ModbusDataType> DataTypes = new(StringComparer.Ordinal)
    {
        ["int16"] = ModbusDataType.Int16,
        ["uint16"] = ModbusDataType.UInt16,
        ["int32"] = ModbusDataType.Int32,
        ["uint32"] = ModbusDataType.UInt32,
        ["float32"] = ModbusDataType.Float32,
    };

    private static readonly Dictionary<string, ByteOrder> ByteOrders = new(StringComparer.Ordinal)
    {
        ["ABCD"] = ByteOrder.ABCD,
        ["CDAB"] = ByteOrder.CDAB,
        ["BADC"] = ByteOrder.BADC,
        ["DCBA"] = ByteOrder.DCBA,
    };

    private static readonly Dictionary<string, ModbusRegisterArea> Areas = new(StringComparer.Ordinal)
    {
        ["holding"] = ModbusRegisterArea.Holding,
        ["input"] = ModbusRegisterArea.Input,
    };

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
            }
        }

        return new SiteConfig(devices);
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
            _ => Unknown(device, protocol),
        };
        device.RejectUnknown();
        return result;
    }

    private static DeviceConfig? Unknown(JsonObjectReader device, string protocol)
    {
        device.Error(device.At("protocol"), $"unknown protocol '{protocol}' (expected one of: {ModbusTcpDeviceConfig.ProtocolName})");
        return null;
    }

    private static ModbusTcpDeviceConfig ReadModbusTcp(JsonObjectReader device, string name)
    {
        var host = device.String("host", required: true) ?? "";
        if (host.Length > 0 && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            device.Error(device.At("host"), $"'{host}' is not a host name or IP address");
        }

        var port = (int)device.Integer("port", 1, 65535, 502);
        var unitId = (byte)device.Integer("unitId", 0, 255, 1);
        var poll = TimeSpan.FromMilliseconds(device.Integer("pollIntervalMs", 10, 86_400_000, 1000));
        var timeout = TimeSpan.FromMilliseconds(device.Integer("timeoutMs", 10, 600_000, 1000));
        var tags = ReadModbusTags(device);
        return new ModbusTcpDeviceConfig(name, host, port, unitId, poll, timeout, tags);
    }

    private static List<ModbusTagConfig> ReadModbusTags(JsonObjectReader device)
    {
        var tags = new List<ModbusTagConfig>();
        var element = device.Property("tags", required: true);
        if (element is null)
        {
            return tags;
        }

        if (element.Value.ValueKind != JsonValueKind.Array || element.Value.GetArrayLength() == 0)
        {
            device.Error(device.At("tags"), "expected a non-empty array of tags");
            return tags;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.Value.EnumerateArray())
        {
            var tag = new JsonObjectReader(device.File, $"{device.At("tags")}[{index++}]", item, device.Errors);
            if (!tag.IsObject)
            {
                continue;
            }

            var tagName = tag.String("name", required: true) ?? "";
            if (tagName.Length > 0 && !IsName(tagName))
            {
                tag.Error(tag.At("name"), $"'{tagName}' is not a valid name (letters, digits, '-', '_', '.'; at most 64)");
            }
            else if (tagName.Length > 0 && !names.Add(tagName))
            {
                tag.Error(tag.At("name"), $"tag name '{tagName}' is used twice in this device");
            }

            var area = tag.Enum("area", ModbusRegisterArea.Holding, required: false, Areas);
            var address = (ushort)tag.Integer("address", 0, 65535, 0, required: true);
            var type = tag.Enum("type", ModbusDataType.UInt16, required: true, DataTypes);
            var order = tag.Enum("byteOrder", ByteOrder.ABCD, required: false, ByteOrders);
            var scale = tag.Number("scale", 1.0, s => s == 0 ? "must not be 0" : null);
            var offset = tag.Number("offset", 0.0);
            var unit = tag.String("unit", required: false);
            if (address + type.RegisterCount() - 1 > ushort.MaxValue)
            {
                tag.Error(tag.At("address"), $"a {type} at {address} runs past register 65535");
            }

            tag.RejectUnknown();
            tags.Add(new ModbusTagConfig(tagName, area, address, type, order, scale, offset, unit));
        }

        return tags;
    }
}
