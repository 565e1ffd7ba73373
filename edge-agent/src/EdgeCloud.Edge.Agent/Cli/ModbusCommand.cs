using System.CommandLine;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Commissioning;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent modbus read|scan|detect</c>: commissioning tools that need no config file.
/// <c>read</c> prints one register block in every decoding side by side; <c>scan</c> finds the unit
/// ids that answer and probes which typical register addresses exist; <c>detect</c> ranks the
/// types, byte orders and scales that put a tag's value in the range the installer expects. Both reach a Modbus TCP device, an RTU
/// slave on a serial port, or RTU slaves behind a serial gateway (see <see cref="ModbusTargetOptions"/>).
/// </summary>
internal static class ModbusCommand
{
    public static Command Create() =>
        new("modbus", "Commissioning tools for Modbus devices.") { CreateRead(), CreateScan(), CreateDetect(), ModbusWriteCommand.Create() };

    private static Command CreateRead()
    {
        var target = new ModbusTargetOptions(defaultTimeoutMs: 1000);
        var unit = new Option<byte>("--unit", "-u") { Description = "Unit id (slave address)", DefaultValueFactory = _ => 1 };
        var area = new Option<string>("--area") { Description = "Area: holding (function 3), input (4), coil (1) or discrete-input (2)", DefaultValueFactory = _ => "holding" };
        var address = new Option<ushort>("--address", "-a") { Description = "First register or bit, 0-based protocol address (not 4xxxx)", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count", "-n") { Description = "Registers to read, 1-125 (bits: 1-2000)", DefaultValueFactory = _ => 4 };
        area.AcceptOnlyFromAmong("holding", "input", "coil", "discrete-input");
        ModbusTargetOptions.Range(count, 1, ModbusPdu.MaxReadBits);

        var read = new Command("read", "Read a block once and print every decoding (16/32/64-bit, all byte orders, text) side by side, or the bits of coils.")
        {
            unit, area, address, count,
        };
        target.AddTo(read);
        read.Validators.Add(r =>
        {
            if (r.GetValue(area) is "holding" or "input" && r.GetValue(count) > ModbusPdu.MaxReadRegisters)
            {
                r.AddError($"--count is at most {ModbusPdu.MaxReadRegisters} for registers");
            }
        });
        read.SetAction(async (parse, cancellationToken) =>
        {
            var (master, endpoint) = target.CreateMaster(parse);
            await using (master)
            {
                var registerArea = ParseArea(parse.GetValue(area));
                return await ModbusReadTool.RunAsync(
                    master, endpoint, parse.GetValue(unit), registerArea, parse.GetValue(address), parse.GetValue(count),
                    Console.Out, Console.Error, cancellationToken);
            }
        });
        return read;
    }

    /// <summary>The area named on the command line (already checked against the allowed names).</summary>
    internal static ModbusRegisterArea ParseArea(string? name) => name switch
    {
        "input" => ModbusRegisterArea.Input,
        "coil" => ModbusRegisterArea.Coil,
        "discrete-input" => ModbusRegisterArea.DiscreteInput,
        _ => ModbusRegisterArea.Holding,
    };

    private static Command CreateScan()
    {
        // Short by default: on a serial bus every absent unit costs a full timeout (247 x 200 ms = 50 s).
        var target = new ModbusTargetOptions(defaultTimeoutMs: 200);
        var units = new Option<string>("--units") { Description = "Unit ids to try, for example 1-247 or 1,2,10-20", DefaultValueFactory = _ => "1-247" };
        var registers = new Option<bool>("--registers") { Description = "For each unit that answers, probe which typical register addresses exist" };
        units.Validators.Add(r =>
        {
            if (UnitIdList.Parse(r.GetValueOrDefault<string>()) is null)
            {
                r.AddError("--units takes unit ids 0-255 as a list of numbers and ranges, for example 1-247 or 1,2,10-20");
            }
        });

        var scan = new Command("scan", "Find the unit ids that answer on a bus or behind a gateway, and optionally which registers they serve.")
        {
            units, registers,
        };
        target.AddTo(scan);
        scan.SetAction(async (parse, cancellationToken) =>
        {
            var (master, endpoint) = target.CreateMaster(parse);
            await using (master)
            {
                return await ModbusScanTool.RunAsync(
                    master, endpoint, UnitIdList.Parse(parse.GetValue(units))!, parse.GetValue(registers), Console.Out, Console.Error, cancellationToken);
            }
        });
        return scan;
    }

    private static Command CreateDetect()
    {
        var target = new ModbusTargetOptions(defaultTimeoutMs: 1000);
        var unit = new Option<byte>("--unit", "-u") { Description = "Unit id (slave address)", DefaultValueFactory = _ => 1 };
        var area = new Option<string>("--area") { Description = "Register area: holding (function 3) or input (function 4)", DefaultValueFactory = _ => "holding" };
        var address = new Option<ushort>("--address", "-a") { Description = "The tag's first register, 0-based protocol address (not 4xxxx)", Required = true };
        var min = new Option<double>("--min") { Description = "Lowest value the tag can have now (for example 200 for a 230 V mains voltage)", Required = true };
        var max = new Option<double>("--max") { Description = "Highest value the tag can have now", Required = true };
        area.AcceptOnlyFromAmong("holding", "input");

        var detect = new Command("detect", "Rank the data types, byte orders and scales that put a tag's value in the expected range.")
        {
            unit, area, address, min, max,
        };
        target.AddTo(detect);
        detect.Validators.Add(r =>
        {
            if (r.GetValue(min) is var low && r.GetValue(max) is var high && (!double.IsFinite(low) || !double.IsFinite(high) || low > high))
            {
                r.AddError("--min and --max must be finite numbers with --min <= --max");
            }
        });
        detect.SetAction(async (parse, cancellationToken) =>
        {
            var (master, endpoint) = target.CreateMaster(parse);
            await using (master)
            {
                var registerArea = parse.GetValue(area) == "input" ? ModbusRegisterArea.Input : ModbusRegisterArea.Holding;
                return await WordOrderTool.RunAsync(
                    master, endpoint, parse.GetValue(unit), registerArea, parse.GetValue(address), parse.GetValue(min), parse.GetValue(max),
                    Console.Out, Console.Error, cancellationToken);
            }
        });
        return detect;
    }
}
