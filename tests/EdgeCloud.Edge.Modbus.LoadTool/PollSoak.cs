using System.Diagnostics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Modbus.LoadTool;

/// <summary>
/// Polls in a row on one connection: against pymodbus with the planner's reads of a mixed tag map
/// (errors counted by kind), and against a server that answers every 7th request after the
/// client's timeout, where each reply carries the addresses it was asked for, so a value given to
/// the wrong request would show (misattributions counted; the requirement is zero).
/// </summary>
internal static class PollSoak
{
    public static async Task<int> RunAsync(int polls)
    {
        await using (var server = await Peer.PythonAsync("pymodbus_server.py", "0"))
        {
            ModbusTagConfig[] tags =
            [
                new("a", ModbusRegisterArea.Holding, 0, ModbusDataType.Int16, ByteOrder.ABCD, 1, 0, null),
                new("b", ModbusRegisterArea.Holding, 10, ModbusDataType.Float32, ByteOrder.ABCD, 1, 0, null),
                new("c", ModbusRegisterArea.Holding, 40, ModbusDataType.Int64, ByteOrder.ABCD, 1, 0, null),
                new("d", ModbusRegisterArea.Input, 2, ModbusDataType.Float32, ByteOrder.DCBA, 1, 0, null),
                new("e", ModbusRegisterArea.Coil, 3, ModbusDataType.Bool, ByteOrder.ABCD, 1, 0, null),
                new("f", ModbusRegisterArea.Holding, 64, ModbusDataType.String, ByteOrder.ABCD, 1, 0, null, Length: 8),
            ];
            var plan = ReadPlanner.Plan(tags);
            await using var master = new ModbusTcpMaster("127.0.0.1", server.Ready, TimeSpan.FromSeconds(1));
            var errors = new Dictionary<string, int>(StringComparer.Ordinal);
            var watch = Stopwatch.StartNew();
            for (var p = 0; p < polls; p++)
            {
                foreach (var block in plan)
                {
                    try
                    {
                        if (block.Area.IsBits())
                        {
                            await master.ReadBitsAsync(block.Area, 1, block.Start, new bool[block.Count], CancellationToken.None);
                        }
                        else
                        {
                            await master.ReadRegistersAsync(block.Area, 1, block.Start, new ushort[block.Count], CancellationToken.None);
                        }
                    }
                    catch (Exception ex) when (ex is ModbusException or IOException or TimeoutException)
                    {
                        errors[ex.GetType().Name] = errors.GetValueOrDefault(ex.GetType().Name) + 1;
                    }
                }
            }

            Console.WriteLine($"pymodbus: {polls:N0} polls x {plan.Count} reads ({tags.Length} tags) in {watch.Elapsed.TotalSeconds:F1} s: {polls / watch.Elapsed.TotalSeconds:N0} polls/s, errors {errors.Values.Sum()}{(errors.Count > 0 ? " (" + string.Join(", ", errors.Select(e => $"{e.Key} {e.Value}")) + ")" : "")}");
        }

        var timeout = TimeSpan.FromMilliseconds(20);
        await using (var late = new CannedServer(lateEvery: 7, lateBy: timeout + TimeSpan.FromMilliseconds(5)))
        await using (var master = new ModbusTcpMaster("127.0.0.1", late.Port, timeout))
        {
            int good = 0, timeouts = 0, misattributed = 0;
            var watch = Stopwatch.StartNew();
            for (var p = 0; p < polls; p++)
            {
                var address = (ushort)(p % 60_000);
                try
                {
                    var registers = await master.ReadHoldingRegistersAsync(1, address, 2, CancellationToken.None);
                    if (registers[0] == address && registers[1] == (ushort)(address + 1))
                    {
                        good++;
                    }
                    else
                    {
                        misattributed++;
                    }
                }
                catch (ModbusTimeoutException)
                {
                    timeouts++;
                }
            }

            Console.WriteLine($"every 7th reply late: {polls:N0} polls in {watch.Elapsed.TotalSeconds:F1} s: {good:N0} good, {timeouts:N0} timeouts, {misattributed} misattributed, {master.LateRepliesDiscarded:N0} late replies discarded by transaction id");
        }

        return 0;
    }
}
