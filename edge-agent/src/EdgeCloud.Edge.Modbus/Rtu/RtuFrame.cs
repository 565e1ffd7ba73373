using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>
/// RTU framing (Modbus over Serial Line v1.02, section 2.5.1): address, PDU, CRC-16 low byte
/// first; at most 256 bytes. RTU has no length field, so a master knows where a reply ends only
/// from the request it sent: an exception reply is 5 bytes, a write echo 8, a read
/// 5 + its byte count. The same code frames RTU on a serial line and RTU over a TCP socket.
/// </summary>
internal static class RtuFrame
{
    /// <summary>Largest RTU frame: address, 253-byte PDU, CRC.</summary>
    public const int MaxLength = 256;

    /// <summary>Writes the request frame into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns its length.</summary>
    public static int WriteRequest(Span<byte> destination, byte unitId, in ModbusRequest request)
    {
        destination[0] = unitId;
        var pduLength = request.WritePdu(destination[1..]);
        return ModbusCrc16.Append(destination, 1 + pduLength);
    }

    /// <summary>
    /// Looks for the reply to <paramref name="request"/> from <paramref name="unitId"/> at the start
    /// of <paramref name="buffer"/>. <see cref="RtuFrameStatus.Complete"/> sets <paramref name="length"/>
    /// to the frame length (the PDU is <c>buffer[1..(length - 2)]</c>); a rejection sets <paramref name="problem"/>.
    /// Decides as early as the bytes allow, so a wrong reply is rejected without waiting for all of it.
    /// </summary>
    public static RtuFrameStatus TryReadReply(ReadOnlySpan<byte> buffer, byte unitId, in ModbusRequest request, out int length, out string? problem)
    {
        length = 0;
        problem = null;
        if (buffer.Length < 2)
        {
            return RtuFrameStatus.Incomplete;
        }

        if (buffer[0] != unitId)
        {
            problem = $"reply from unit {buffer[0]} to a request for unit {unitId}";
            return RtuFrameStatus.Unexpected;
        }

        var function = (byte)request.Function;
        if (buffer[1] == (function | ModbusPdu.ExceptionFlag))
        {
            length = 5;
        }
        else if (buffer[1] != function)
        {
            problem = $"reply function 0x{buffer[1]:X2} to a request with 0x{function:X2}";
            return RtuFrameStatus.Unexpected;
        }
        else if (request.IsRegisterRead || request.IsBitRead)
        {
            if (buffer.Length < 3)
            {
                return RtuFrameStatus.Incomplete;
            }

            var expected = request.ReadReplyBytes;
            if (buffer[2] != expected)
            {
                problem = $"byte count {buffer[2]} for {request.Quantity} {(request.IsBitRead ? "bits" : "registers")} (expected {expected})";
                return RtuFrameStatus.Unexpected;
            }

            length = 5 + expected;
        }
        else
        {
            length = 8;
        }

        if (buffer.Length < length)
        {
            return RtuFrameStatus.Incomplete;
        }

        if (!ModbusCrc16.IsValid(buffer[..length]))
        {
            var carried = buffer[length - 2] | (buffer[length - 1] << 8);
            problem = $"CRC 0x{carried:X4} does not match the frame (0x{ModbusCrc16.Compute(buffer[..(length - 2)]):X4})";
            return RtuFrameStatus.CrcError;
        }

        return RtuFrameStatus.Complete;
    }
}
