using System.CommandLine;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Commissioning;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent modbus write</c>: writes one value the way a configured writable tag would
/// (type, byte order, scale and offset inverted; function 5, 6 or 16), reads it back and says
/// whether the device kept it. Exit 0 only when the read-back confirms the value.
/// </summary>
internal static class ModbusWriteCommand
{
    public static Command Create()
    {
        var target = new ModbusTargetOptions(defaultTimeoutMs: 1000);
        var unit = new Option<byte>("--unit", "-u") { Description = "Unit id (slave address)", DefaultValueFactory = _ => 1 };
        var area = new Option<string>("--area") { Description = "holding (functions 6/16) or coil (function 5)", DefaultValueFactory = _ => "holding" };
        var address = new Option<ushort>("--address", "-a") { Description = "First register or coil, 0-based protocol address (not 4xxxx)", Required = true };
        var type = new Option<string>("--type", "-t") { Description = "int16, uint16, int32, uint32, float32, int64, uint64, float64, bool (a register bit, with --bit) or string (with --length)", DefaultValueFactory = _ => "uint16" };
        var order = new Option<string>("--byte-order") { Description = "ABCD, CDAB, BADC or DCBA", DefaultValueFactory = _ => "ABCD" };
        var bit = new Option<int>("--bit") { Description = "The register bit of a bool, 0-15", DefaultValueFactory = _ => 0 };
        var length = new Option<int>("--length") { Description = "Registers of a string, 1-123", DefaultValueFactory = _ => 1 };
        var scale = new Option<double>("--scale") { Description = "The tag's scale: raw = (value - offset) / scale", DefaultValueFactory = _ => 1 };
        var offset = new Option<double>("--offset") { Description = "The tag's offset", DefaultValueFactory = _ => 0 };
        var value = new Option<string>("--value", "-v") { Description = "The engineering value: a number, true/false, or text", Required = true };
        area.AcceptOnlyFromAmong("holding", "coil");
        type.AcceptOnlyFromAmong("int16", "uint16", "int32", "uint32", "float32", "int64", "uint64", "float64", "bool", "string");
        order.AcceptOnlyFromAmong("ABCD", "CDAB", "BADC", "DCBA");
        ModbusTargetOptions.Range(bit, 0, 15);
        ModbusTargetOptions.Range(length, 1, 123);

        var write = new Command("write", "Write one value as a tag would (encoding, byte order, scale), read it back and report whether the device kept it.")
        {
            unit, area, address, type, order, bit, length, scale, offset, value,
        };
        target.AddTo(write);
        write.Validators.Add(r =>
        {
            if (r.GetValue(scale) == 0 || !double.IsFinite(r.GetValue(scale)) || !double.IsFinite(r.GetValue(offset)))
            {
                r.AddError("--scale must be a finite number other than 0, --offset finite");
            }
        });
        write.SetAction(async (parse, cancellationToken) =>
        {
            var coil = parse.GetValue(area) == "coil";
            var dataType = coil ? ModbusDataType.Bool : Enum.Parse<ModbusDataType>(parse.GetValue(type)!, ignoreCase: true);
            var tag = new ModbusTagConfig(
                "value",
                coil ? ModbusRegisterArea.Coil : ModbusRegisterArea.Holding,
                parse.GetValue(address),
                dataType,
                Enum.Parse<ByteOrder>(parse.GetValue(order)!),
                parse.GetValue(scale),
                parse.GetValue(offset),
                null,
                Bit: dataType == ModbusDataType.Bool && !coil ? (byte)parse.GetValue(bit) : null,
                Length: dataType == ModbusDataType.String ? parse.GetValue(length) : 0,
                Writable: true);
            if (tag.Address + tag.Width - 1 > ushort.MaxValue)
            {
                await Console.Error.WriteLineAsync($"modbus write: a {dataType} at {tag.Address} runs past address 65535");
                return ExitCodes.Failure;
            }

            var (master, endpoint) = target.CreateMaster(parse);
            await using (master)
            {
                return await ModbusWriteTool.RunAsync(
                    master, endpoint, parse.GetValue(unit), tag, ModbusWriteTool.Parse(tag, parse.GetValue(value)!), Console.Out, Console.Error, cancellationToken);
            }
        });
        return write;
    }
}
