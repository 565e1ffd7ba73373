using BenchmarkDotNet.Attributes;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Benchmarks;

/// <summary>
/// Decoding a full 125-register read as 62 float32 values in CDAB order and scaling them.
/// Baseline: the same words swapped and reinterpreted by hand — the floor
/// for this work on this CPU.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RegisterDecodeBenchmarks
{
    private readonly ushort[] _registers = new ushort[124];
    private readonly ModbusTagConfig _tag = new("t", ModbusRegisterArea.Holding, 0, ModbusDataType.Float32, ByteOrder.CDAB, 0.1, 2.0, null);

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _registers.Length; i++)
        {
            _registers[i] = (ushort)Random.Shared.Next(0, 0x7F00);
        }
    }

    [Benchmark(Baseline = true, Description = "hand-written word swap")]
    public double ByHand()
    {
        var sum = 0.0;
        for (var i = 0; i < _registers.Length; i += 2)
        {
            var bits = ((uint)_registers[i + 1] << 16) | _registers[i];
            sum += (BitConverter.UInt32BitsToSingle(bits) * 0.1) + 2.0;
        }

        return sum;
    }

    [Benchmark(Description = "RegisterDecoder.TryDecode")]
    public double Decoder()
    {
        var sum = 0.0;
        for (var i = 0; i < _registers.Length; i += 2)
        {
            if (RegisterDecoder.TryDecode(_registers.AsSpan(i, 2), _tag, out TagValue value))
            {
                sum += value.AsDouble();
            }
        }

        return sum;
    }
}
