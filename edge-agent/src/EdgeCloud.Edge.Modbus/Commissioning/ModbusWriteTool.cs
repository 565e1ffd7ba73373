using System.Globalization;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Writes;
using EdgeCloud.Edge.Points;
using EdgeCloud.Edge.Writes;

namespace EdgeCloud.Edge.Modbus.Commissioning;

/// <summary>
/// The body of <c>edge-agent modbus write</c>: the same write and read-back as a configured writable
/// tag (<see cref="ModbusTagWrite"/>), for a tag described on the command line. Prints the outcome;
/// returns 0 only when the read-back confirmed the value.
/// </summary>
internal static class ModbusWriteTool
{
    /// <summary>Parses <paramref name="text"/> for <paramref name="tag"/>: text for a string, true/false/1/0 for a bit, a number otherwise.</summary>
    public static TagValue Parse(ModbusTagConfig tag, string text)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(text);
        if (tag.DataType == ModbusDataType.String)
        {
            return TagValue.FromText(text);
        }

        if (tag.DataType == ModbusDataType.Bool || tag.Area.IsBits())
        {
            return text.ToUpperInvariant() switch
            {
                "TRUE" or "ON" or "1" => TagValue.FromFlag(true),
                "FALSE" or "OFF" or "0" => TagValue.FromFlag(false),
                _ => TagValue.FromText(text),
            };
        }

        // An integral text stays an exact integer: a double would round int64 values above 2^53.
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? TagValue.FromInteger(integer)
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? TagValue.FromNumber(number)
            : TagValue.FromText(text);
    }

    /// <summary>Writes <paramref name="value"/> to <paramref name="tag"/> of <paramref name="unitId"/>, reads it back and prints the outcome.</summary>
    public static async Task<int> RunAsync(
        IModbusMaster master, string endpoint, byte unitId, ModbusTagConfig tag, TagValue value, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var result = await ModbusTagWrite.WriteAsync(master, endpoint, unitId, tag with { Writable = true }, value, cancellationToken);
        if (result.Status == TagWriteStatus.Confirmed)
        {
            await output.WriteLineAsync($"{result.Status}: {result.Message}");
            return ModbusReadTool.Ok;
        }

        await error.WriteLineAsync($"{result.Status}: {result.Message}");
        return ModbusReadTool.Failed;
    }
}
