using System.CommandLine;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Simulator;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>
/// <c>edge-agent simulate modbus</c>: a PLC with changing values, to try a config without hardware.
/// Serves the built-in map or a device profile file (<c>--profile</c>), over Modbus TCP or, with
/// <c>--serial</c>, as an RTU slave on a serial port.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "TCP port to listen on", DefaultValueFactory = _ => 5020 };
        var unit = new Option<byte?>("--unit") { Description = "Unit id served (default: the profile's, or 1)" };
        var all = new Option<bool>("--listen-all") { Description = "Listen on every interface instead of 127.0.0.1 only" };
        var printConfig = new Option<bool>("--print-config") { Description = "Print a site config that reads every simulated tag of the built-in map, then exit" };
        var profile = new Option<FileInfo?>("--profile") { Description = "Device profile file (JSON: tables and tags with constants or waveforms)" };
        var serial = new Option<string?>("--serial") { Description = "Serve Modbus RTU on this serial device instead of TCP (for example /dev/ttyUSB0)" };
        var baud = new Option<int>("--baud") { Description = "Serial baud rate", DefaultValueFactory = _ => 19200 };
        var parity = new Option<string>("--parity") { Description = "Serial parity: none, even or odd", DefaultValueFactory = _ => "even" };
        parity.AcceptOnlyFromAmong("none", "even", "odd");
        ModbusTargetOptions.Range(port, 1, 65535);

        var modbus = new Command("modbus", "Serve a simulated Modbus device (functions 1-6, 15, 16) over TCP or RTU.") { port, unit, all, printConfig, profile, serial, baud, parity };
        modbus.SetAction(async (parse, _) =>
        {
            var chosenPort = parse.GetValue(port);
            DeviceProfile? loaded = null;
            if (parse.GetValue(profile) is { } file)
            {
                var errors = new List<string>();
                loaded = DeviceProfileLoader.Load(file.FullName, errors);
                if (loaded is null)
                {
                    foreach (var error in errors)
                    {
                        await Console.Error.WriteLineAsync(error);
                    }

                    return ExitCodes.Config;
                }
            }

            var unitId = parse.GetValue(unit) ?? loaded?.UnitId ?? 1;
            if (parse.GetValue(printConfig))
            {
                Console.WriteLine(SimulatorRegisterMap.SampleSiteConfigJson("127.0.0.1", chosenPort, unitId: unitId));
                return ExitCodes.Ok;
            }

            using var signal = new ShutdownSignal();
            try
            {
                if (parse.GetValue(serial) is { } path)
                {
                    var parityValue = parse.GetValue(parity) switch
                    {
                        "none" => SerialParity.None,
                        "odd" => SerialParity.Odd,
                        _ => SerialParity.Even,
                    };
                    var settings = ModbusMasterFactory.Settings(new SerialLineConfig(path, parse.GetValue(baud), parityValue, 8, 1));
                    await ModbusSimulator.RunRtuAsync(settings, unitId, Console.Out, signal.Token, loaded);
                }
                else
                {
                    await ModbusSimulator.RunAsync(chosenPort, parse.GetValue(all), unitId, Console.Out, signal.Token, loaded);
                }
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                await Console.Error.WriteLineAsync($"simulate modbus: cannot listen on port {chosenPort}: {ex.Message}");
                return ExitCodes.Failure;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"simulate modbus: cannot open {parse.GetValue(serial)}: {ex.Message}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Ok;
        });

        return new Command("simulate", "Simulated devices for wiring and config tests.") { modbus };
    }
}
