using System.Globalization;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Commissioning;

/// <summary>
/// The body of <c>edge-agent modbus detect</c>: reads the registers at a tag's address (four, or
/// fewer where the map ends), ranks the readings that fall in the expected range with
/// <see cref="WordOrderDetector"/>, prints the best ones and the tag settings of the first.
/// Returns a process exit code: <see cref="ModbusReadTool.Failed"/> also when nothing fits.
/// </summary>
internal static class WordOrderTool
{
    /// <summary>How many candidates are printed.</summary>
    public const int Shown = 10;

    /// <summary>Reads, ranks and prints.</summary>
    public static async Task<int> RunAsync(
        IModbusMaster master,
        string endpoint,
        byte unitId,
        ModbusRegisterArea area,
        ushort address,
        double min,
        double max,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ushort[]? registers = null;
        foreach (var count in new[] { 4, 2, 1 })
        {
            if (address + count - 1 > ushort.MaxValue)
            {
                continue;
            }

            try
            {
                registers = new ushort[count];
                await master.ReadRegistersAsync(area, unitId, address, registers, cancellationToken);
                break;
            }
            catch (ModbusException ex) when (ex.ExceptionCode is ModbusExceptionCode.IllegalDataAddress or ModbusExceptionCode.IllegalDataValue && count > 1)
            {
                // The map may end within four registers of the tag: try a shorter read.
                registers = null;
            }
            catch (Exception ex) when (ex is ModbusException or ModbusTimeoutException or ModbusCorruptFrameException or ModbusTransportException or ModbusProtocolException)
            {
                await error.WriteLineAsync($"reading unit {unitId} at {address} on {endpoint}: {ex.Message}");
                return ModbusReadTool.Failed;
            }
        }

        if (registers is null)
        {
            await error.WriteLineAsync($"reading unit {unitId} at {address} on {endpoint}: no register there");
            return ModbusReadTool.Failed;
        }

        var hex = string.Join(" ", registers.Select(r => r.ToString("X4", CultureInfo.InvariantCulture)));
        var candidates = WordOrderDetector.Rank(registers, min, max);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Registers {address}-{address + registers.Length - 1}: {hex}; readings in {min}..{max}: {candidates.Count}"));
        if (candidates.Count == 0)
        {
            await output.WriteLineAsync("Nothing fits: check the address (0-based, not 4xxxx), the area (holding/input), the unit id, or widen the range.");
            return ModbusReadTool.Failed;
        }

        await output.WriteLineAsync($"{"rank",4}  {"type",7}  {"order",5}  {"scale",6}  {"value",24}");
        for (var i = 0; i < Math.Min(Shown, candidates.Count); i++)
        {
            var c = candidates[i];
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{i + 1,4}  {Name(c.Type),7}  {c.Order,5}  {c.Scale,6}  {Format(c),24}"));
        }

        var best = candidates[0];
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Best fit as a tag: {{ \"area\": \"{(area == ModbusRegisterArea.Holding ? "holding" : "input")}\", \"address\": {address}, \"type\": \"{Name(best.Type)}\", \"byteOrder\": \"{best.Order}\", \"scale\": {best.Scale} }}"));
        await output.WriteLineAsync("Check it against a second value (the device's display, another moment): a single reading can fit by coincidence.");
        return ModbusReadTool.Ok;
    }

    /// <summary>A float32 as the shortest text of that float (123.456, not 123.45600128173828); a scaled integer without binary noise (230.4, not 230.40000000000003).</summary>
    private static string Format(WordOrderCandidate c) =>
        c.Type == ModbusDataType.Float32
            ? ((float)c.Value).ToString(CultureInfo.InvariantCulture)
            : c.Value.ToString("G15", CultureInfo.InvariantCulture);

    private static string Name(ModbusDataType type) => type.ToString().ToLowerInvariant();
}
