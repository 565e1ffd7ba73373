using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Commissioning;

/// <summary>
/// The body of <c>edge-agent modbus scan</c>: which unit ids answer on a bus or behind a gateway,
/// and, for each, which of a few typical register addresses exist in each area. A unit answers when
/// it returns registers or a Modbus exception (it is there, it just refuses that read); a gateway's
/// exceptions 0A/0B mean the unit is not there. Garbled replies are reported apart: something is
/// on the line but the serial settings are probably wrong. Returns a process exit code.
/// </summary>
internal static class ModbusScanTool
{
    /// <summary>Addresses probed in each area of a unit that answers: the start, and where maps often begin.</summary>
    public static readonly IReadOnlyList<ushort> ProbeAddresses = [0, 1, 100, 1000, 3000, 4000, 10000, 30000, 40000];

    /// <summary>Scans <paramref name="units"/> in order; probes the register map of each that answers when <paramref name="probeRegisters"/>.</summary>
    public static async Task<int> RunAsync(
        IModbusMaster master,
        string endpoint,
        IReadOnlyList<byte> units,
        bool probeRegisters,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        await output.WriteLineAsync($"Scanning {units.Count} unit ids on {endpoint} (holding register 0 of each)...");
        var answering = new List<byte>();
        var garbled = new List<byte>();
        foreach (var unit in units)
        {
            try
            {
                var result = await ProbeAsync(master, unit, ModbusRegisterArea.Holding, 0, cancellationToken);
                if (result.Kind is ProbeKind.Exists or ProbeKind.Refused)
                {
                    answering.Add(unit);
                    await output.WriteLineAsync($"unit {unit,3}: answers{(result.Kind == ProbeKind.Refused ? $" (exception {result.Detail} for holding 0)" : "")}");
                    if (probeRegisters)
                    {
                        await ProbeMapAsync(master, unit, output, cancellationToken);
                    }
                }
                else if (result.Kind == ProbeKind.Garbled)
                {
                    garbled.Add(unit);
                    await output.WriteLineAsync($"unit {unit,3}: garbled reply ({result.Detail})");
                }
            }
            catch (Exception ex) when (ex is ModbusTransportException or ModbusProtocolException)
            {
                await error.WriteLineAsync($"scan stopped at unit {unit}: {ex.Message}");
                return ModbusReadTool.Failed;
            }
        }

        await output.WriteLineAsync($"{answering.Count} of {units.Count} unit ids answer{(answering.Count > 0 ? ": " + string.Join(", ", answering) : "")}.");
        if (garbled.Count > 0)
        {
            await output.WriteLineAsync($"Garbled replies for unit ids {string.Join(", ", garbled)}: a device is on the line, but check baud rate, parity, stop bits and termination.");
        }

        return ModbusReadTool.Ok;
    }

    private static async Task ProbeMapAsync(IModbusMaster master, byte unit, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var area in new[] { ModbusRegisterArea.Holding, ModbusRegisterArea.Input })
        {
            var cells = new List<string>();
            foreach (var address in ProbeAddresses)
            {
                var result = await ProbeAsync(master, unit, area, address, cancellationToken);
                cells.Add($"{address} {result.Kind switch
                {
                    ProbeKind.Exists => "yes",
                    ProbeKind.Refused => "no (" + result.Detail + ")",
                    ProbeKind.Garbled => "garbled",
                    _ => "no answer",
                }}");
            }

            await output.WriteLineAsync($"          {(area == ModbusRegisterArea.Holding ? "holding" : "input  ")}: {string.Join(", ", cells)}");
        }
    }

    private static async Task<Probe> ProbeAsync(IModbusMaster master, byte unit, ModbusRegisterArea area, ushort address, CancellationToken cancellationToken)
    {
        try
        {
            await master.ReadRegistersAsync(area, unit, address, new ushort[1], cancellationToken);
            return new Probe(ProbeKind.Exists, "");
        }
        catch (ModbusException ex) when (ex.ExceptionCode is ModbusExceptionCode.GatewayPathUnavailable or ModbusExceptionCode.GatewayTargetFailedToRespond)
        {
            // The gateway answered for a unit that is not behind it.
            return new Probe(ProbeKind.Absent, "");
        }
        catch (ModbusException ex)
        {
            return new Probe(ProbeKind.Refused, $"{(byte)ex.ExceptionCode:X2}");
        }
        catch (ModbusTimeoutException)
        {
            return new Probe(ProbeKind.Absent, "");
        }
        catch (ModbusCorruptFrameException ex)
        {
            return new Probe(ProbeKind.Garbled, ex.Kind.ToString());
        }
    }

    private enum ProbeKind
    {
        Absent,
        Exists,
        Refused,
        Garbled,
    }

    private readonly record struct Probe(ProbeKind Kind, string Detail);
}
