using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;

namespace EdgeCloud.Edge.Modbus.Commissioning;

/// <summary>
/// Word-order detection for commissioning: given the registers at a tag's address and the range
/// the installer expects the value in (say 200-260 V), lists every type, byte order and decimal
/// scale that lands in the range, most plausible first. Plausibility, in order of weight: a float
/// that needs no scale; a scale of 1, then 0.1, 0.01 ... (devices publish fixed-point decimals);
/// the value near the middle of the range; fewer registers; the commoner orders (ABCD, then CDAB).
/// A wrong reading of the right registers is almost never in a narrow range, so the first few
/// candidates are the ones to try; a wide range lets coincidences through, which the ranking
/// pushes down but cannot rule out.
/// </summary>
public static class WordOrderDetector
{
    private static readonly ModbusDataType[] Types =
    [
        ModbusDataType.Float32, ModbusDataType.Float64, ModbusDataType.Int16, ModbusDataType.UInt16,
        ModbusDataType.Int32, ModbusDataType.UInt32, ModbusDataType.Int64, ModbusDataType.UInt64,
    ];

    private static readonly double[] Scales = [1, 0.1, 0.01, 0.001, 10, 0.0001];

    /// <summary>Every reading of <paramref name="registers"/> (from the tag's address on) that falls in [<paramref name="min"/>, <paramref name="max"/>], best first.</summary>
    public static IReadOnlyList<WordOrderCandidate> Rank(ReadOnlySpan<ushort> registers, double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw new ArgumentException($"expected a finite range with min <= max, got {min}..{max}");
        }

        var middle = (min + max) / 2;
        var halfWidth = Math.Max((max - min) / 2, double.Epsilon);
        var candidates = new List<WordOrderCandidate>();
        foreach (var type in Types)
        {
            if (registers.Length < type.RegisterCount())
            {
                continue;
            }

            var isFloat = type is ModbusDataType.Float32 or ModbusDataType.Float64;
            foreach (var order in OrdersFor(type))
            {
                if (!RegisterDecoder.TryDecodeRaw(registers, type, order, out var raw))
                {
                    continue;
                }

                for (var s = 0; s < Scales.Length; s++)
                {
                    // A float carries its own decimals; scaling one is rare and mostly coincidence.
                    if (isFloat && s > 0)
                    {
                        break;
                    }

                    var value = raw.AsDouble() * Scales[s];
                    if (value < min || value > max)
                    {
                        continue;
                    }

                    var score = (isFloat ? 3.0 : 2.0)
                        - (0.5 * s)
                        - (0.5 * Math.Abs(value - middle) / halfWidth)
                        - (0.05 * type.RegisterCount())
                        - (0.01 * (int)order);
                    candidates.Add(new WordOrderCandidate(type, order, Scales[s], value, score));
                }
            }
        }

        // Stable: equal scores keep the order of Types, then of the byte orders, then of the scales.
        return [.. candidates.OrderByDescending(c => c.Score)];
    }

    private static ByteOrder[] OrdersFor(ModbusDataType type) =>
        type.RegisterCount() == 1 ? [ByteOrder.ABCD, ByteOrder.BADC] : [ByteOrder.ABCD, ByteOrder.CDAB, ByteOrder.BADC, ByteOrder.DCBA];
}
