using System.IO.Ports;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// The line settings of one serial bus. Every device on a bus shares them; the timing follows
/// Modbus over Serial Line v1.02 section 2.5.1.1: a frame is preceded by 3.5 character times of
/// silence, fixed at 1.75 ms above 19200 baud (where the formula gets too short for UART timers).
/// </summary>
/// <param name="PortName">Device path, for example <c>/dev/ttyUSB0</c>.</param>
/// <param name="BaudRate">Bits per second.</param>
/// <param name="Parity">Parity bit.</param>
/// <param name="DataBits">7 or 8.</param>
/// <param name="StopBits">One or two stop bits.</param>
public sealed record RtuSerialSettings(string PortName, int BaudRate, Parity Parity, int DataBits, StopBits StopBits)
{
    /// <summary>The fixed inter-frame delay above 19200 baud.</summary>
    public static readonly TimeSpan FastInterFrameDelay = TimeSpan.FromMicroseconds(1750);

    /// <summary>Bits on the wire per character: start, data, parity, stop.</summary>
    public int BitsPerCharacter => 1 + DataBits + (Parity == Parity.None ? 0 : 1) + (StopBits == StopBits.Two ? 2 : 1);

    /// <summary>The time one character takes on the wire.</summary>
    public TimeSpan CharacterTime => TimeSpan.FromSeconds((double)BitsPerCharacter / BaudRate);

    /// <summary>3.5 character times, or 1.75 ms above 19200 baud.</summary>
    public TimeSpan InterFrameDelay => BaudRate > 19200 ? FastInterFrameDelay : CharacterTime * 3.5;
}
