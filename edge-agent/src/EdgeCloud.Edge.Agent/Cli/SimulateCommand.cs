using System.CommandLine;
using EdgeCloud.Edge.Modbus.Simulator;

namespace EdgeCloud.Edge.Agent.Cli;

/// <summary><c>edge-agent simulate modbus</c>: a PLC with changing values, to try a config without hardware.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "TCP port to listen on", DefaultValueFactory = _ => 5020 };
        var unit = new Option<byte>("--unit") { Description = "Unit id served", DefaultValueFactory = _ => 1 };
        var all = new Option<bool>("--listen-all") { Description = "Listen on every interface instead of 127.0.0.1 only" };
        var printConfig = new Option<bool>("--print-config") { Description = "Print a site config that reads every simulated tag, then exit" };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 65535)
            {
                r.AddError("--port must be 1-65535");
            }
        });

        var modbus = new Command("modbus", "Serve a simulated Modbus TCP device (functions 3, 4, 6, 16).") { port, unit, all, printConfig };
        modbus.SetAction(async (parse, _) =>
        {
            var chosenPort = parse.GetValue(port);
            var unitId = parse.GetValue(unit);
            if (parse.GetValue(printConfig))
            {
                Console.WriteLine(SimulatorRegisterMap.SampleSiteConfigJson("127.0.0.1", chosenPort, unitId: unitId));
                return ExitCodes.Ok;
            }

            using var signal = new ShutdownSignal();
            try
            {
                await ModbusSimulator.RunAsync(chosenPort, parse.GetValue(all), unitId, Console.Out, signal.Token);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                await Console.Error.WriteLineAsync($"simulate modbus: cannot listen on port {chosenPort}: {ex.Message}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Ok;
        });

        return new Command("simulate", "Simulated devices for wiring and config tests.") { modbus };
    }
}
