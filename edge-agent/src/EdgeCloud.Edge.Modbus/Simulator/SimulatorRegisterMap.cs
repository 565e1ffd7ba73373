using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;

namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>
/// The simulator's registers, the one place that documents them. t is seconds since the map was
/// created, read from the injected <see cref="TimeProvider"/> (a FakeTimeProvider makes it exact).
/// <code>
/// area     addr  type     order  tag          raw value                                engineering
/// holding  0-1   float32  ABCD   temperature  21.5 + 2.5 sin(2πt/60)                   19 .. 24 degC
/// holding  2-3   float32  CDAB   pressure     1013.25 + 5 sin(2πt/120)                 1008.25 .. 1018.25 hPa
/// holding  4     int16    ABCD   level        round(500 + 100 sin(2πt/300))  x0.1      40 .. 60 %
/// holding  5-6   uint32   ABCD   counter      3 000 000 000 + floor(t)                 exact integer, counts up
/// holding  7-8   int32    BADC   position     round(100000 sin(2πt/90)) - 50000       -150000 .. 50000 mm
/// holding  9-10  uint32   DCBA   runtime      86400 + floor(t)                         exact integer s, counts up
/// holding  11    int16    BADC   setpoint     215 (constant until written)   x0.1      21.5 degC
/// holding  12-99 -        -      -            0, free for writes
/// input    0     uint16   ABCD   status       0x8000 | (floor(t/10) mod 4)             32768 .. 32771
/// input    1-2   float32  DCBA   flow         12.5 + 2.5 sin(2πt/45)                   10 .. 15 m3/h
/// input    3-15  -        -      -            0
/// </code>
/// Holding registers written with function 6 or 16 and coils written with 5 or 15 keep the written
/// value from then on (the generator no longer drives them). Reads outside 0-99 (holding) or 0-15
/// (input) are refused. A <see cref="DeviceProfile"/> replaces this map with its own tables and values.
/// Thread-safe.
/// </summary>
internal sealed partial class SimulatorRegisterMap
{
    /// <summary>Holding registers served: 0 to HoldingCount - 1.</summary>
    public const int HoldingCount = 100;

    /// <summary>Input registers served: 0 to InputCount - 1.</summary>
    public const int InputCount = 16;

    private readonly TimeProvider _time;
    private readonly DateTimeOffset _start;
    private readonly Lock _lock = new();
    private readonly DeviceProfile _profile;
    private readonly ushort[] _holding;
    private readonly bool[] _written;
    private readonly ushort[] _input;
    private readonly bool[] _coils;
    private readonly bool[] _coilsWritten;
    private readonly bool[] _discrete;

    /// <summary>Creates the built-in map; t = 0 is now on <paramref name="time"/>.</summary>
    public SimulatorRegisterMap(TimeProvider time)
        : this(time, DeviceProfile.Default)
    {
    }

    /// <summary>Creates a map serving <paramref name="profile"/>; t = 0 is now on <paramref name="time"/>.</summary>
    public SimulatorRegisterMap(TimeProvider time, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(profile);
        _time = time;
        _start = time.GetUtcNow();
        _profile = profile;
        _holding = new ushort[profile.Holding];
        _written = new bool[profile.Holding];
        _input = new ushort[profile.Input];
        _coils = new bool[profile.Coils];
        _coilsWritten = new bool[profile.Coils];
        _discrete = new bool[profile.DiscreteInputs];
    }

    /// <summary>The profile served.</summary>
    public DeviceProfile Profile => _profile;

    /// <summary>Every simulated value, in register order.</summary>
    public static IReadOnlyList<SimulatedTag> Tags { get; } =
    [
        new("temperature", ModbusRegisterArea.Holding, 0, ModbusDataType.Float32, ByteOrder.ABCD, 1, 0, "degC", 19, 24, t => 21.5 + (2.5 * Wave(t, 60))),
        new("pressure", ModbusRegisterArea.Holding, 2, ModbusDataType.Float32, ByteOrder.CDAB, 1, 0, "hPa", 1008.25, 1018.25, t => 1013.25 + (5 * Wave(t, 120))),
        new("level", ModbusRegisterArea.Holding, 4, ModbusDataType.Int16, ByteOrder.ABCD, 0.1, 0, "%", 40, 60, t => Math.Round(500 + (100 * Wave(t, 300)))),
        new("counter", ModbusRegisterArea.Holding, 5, ModbusDataType.UInt32, ByteOrder.ABCD, 1, 0, "count", 3_000_000_000, uint.MaxValue, t => 3_000_000_000 + Math.Floor(t)),
        new("position", ModbusRegisterArea.Holding, 7, ModbusDataType.Int32, ByteOrder.BADC, 1, 0, "mm", -150_000, 50_000, t => Math.Round(100_000 * Wave(t, 90)) - 50_000),
        new("runtime", ModbusRegisterArea.Holding, 9, ModbusDataType.UInt32, ByteOrder.DCBA, 1, 0, "s", 86_400, uint.MaxValue, t => 86_400 + Math.Floor(t)),
        new("setpoint", ModbusRegisterArea.Holding, 11, ModbusDataType.Int16, ByteOrder.BADC, 0.1, 0, "degC", 21.5, 21.5, _ => 215),
        new("status", ModbusRegisterArea.Input, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, "", 32_768, 32_771, t => 0x8000 | ((long)Math.Floor(t / 10) % 4)),
        new("flow", ModbusRegisterArea.Input, 1, ModbusDataType.Float32, ByteOrder.DCBA, 1, 0, "m3/h", 10, 15, t => 12.5 + (2.5 * Wave(t, 45))),
    ];

    /// <summary>Number of registers in <paramref name="area"/> of the built-in map.</summary>
    public static int Size(ModbusRegisterArea area) => DeviceProfile.Default.Size(area);

    /// <summary>Copies <c>destination.Length</c> registers from <paramref name="start"/>; false when the range is not served.</summary>
    public bool TryRead(ModbusRegisterArea area, int start, Span<ushort> destination)
    {
        if (area.IsBits() || start < 0 || start + destination.Length > _profile.Size(area))
        {
            return false;
        }

        lock (_lock)
        {
            Refresh();
            var source = area == ModbusRegisterArea.Holding ? _holding : _input;
            source.AsSpan(start, destination.Length).CopyTo(destination);
        }

        return true;
    }

    /// <summary>Writes holding registers from <paramref name="start"/>; they keep these values. False when the range is not served.</summary>
    public bool TryWrite(int start, ReadOnlySpan<ushort> values)
    {
        if (start < 0 || start + values.Length > _profile.Holding)
        {
            return false;
        }

        lock (_lock)
        {
            values.CopyTo(_holding.AsSpan(start));
            _written.AsSpan(start, values.Length).Fill(true);
        }

        return true;
    }

    /// <summary>Copies <c>destination.Length</c> coils or discrete inputs from <paramref name="start"/>; false when the range is not served.</summary>
    public bool TryReadBits(ModbusRegisterArea area, int start, Span<bool> destination)
    {
        if (!area.IsBits() || start < 0 || start + destination.Length > _profile.Size(area))
        {
            return false;
        }

        lock (_lock)
        {
            Refresh();
            (area == ModbusRegisterArea.Coil ? _coils : _discrete).AsSpan(start, destination.Length).CopyTo(destination);
        }

        return true;
    }

    /// <summary>Writes coils from <paramref name="start"/>; they keep these values. False when the range is not served.</summary>
    public bool TryWriteBits(int start, ReadOnlySpan<bool> values)
    {
        if (start < 0 || start + values.Length > _profile.Coils)
        {
            return false;
        }

        lock (_lock)
        {
            values.CopyTo(_coils.AsSpan(start));
            _coilsWritten.AsSpan(start, values.Length).Fill(true);
        }

        return true;
    }

    /// <summary>Seconds since the map was created.</summary>
    public double Elapsed => (_time.GetUtcNow() - _start).TotalSeconds;

    private void Refresh()
    {
        var t = Elapsed;
        Span<ushort> registers = stackalloc ushort[125];
        foreach (var tag in _profile.Tags)
        {
            if (tag.Area.IsBits())
            {
                var on = tag.RawAt(t) != 0;
                if (tag.Area == ModbusRegisterArea.DiscreteInput)
                {
                    _discrete[tag.Address] = on;
                }
                else if (!_coilsWritten[tag.Address])
                {
                    _coils[tag.Address] = on;
                }

                continue;
            }

            var target = tag.Area == ModbusRegisterArea.Input ? _input : _holding;
            var count = tag.Type == ModbusDataType.String ? tag.Length : tag.Type.RegisterCount();
            var slice = registers[..count];

            // A bit tag changes only its bit of the register as it stands.
            slice[0] = target[tag.Address];
            var encoded = tag.Type == ModbusDataType.String
                ? RegisterText.TryEncode(tag.Text ?? "", tag.Order, slice)
                : RegisterEncoder.TryEncodeRaw(tag.RawAt(t), tag.Type, tag.Order, slice, tag.Bit ?? 0);
            if (!encoded)
            {
                continue; // only past ~40 years of uptime: the counters leave uint32.
            }

            for (var i = 0; i < count; i++)
            {
                if (tag.Area == ModbusRegisterArea.Input || !_written[tag.Address + i])
                {
                    target[tag.Address + i] = slice[i];
                }
            }
        }
    }

    private static double Wave(double t, double period) => Math.Sin(2 * Math.PI * t / period);
}
