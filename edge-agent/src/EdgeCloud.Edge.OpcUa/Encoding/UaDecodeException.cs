namespace EdgeCloud.Edge.OpcUa.Encoding;

/// <summary>
/// The bytes received are not a valid UA Binary encoding, or break a negotiated limit. The only
/// exception type the decoder throws for bad input: a channel that sees it closes with
/// <see cref="StatusCode"/> (BadDecodingError or BadEncodingLimitsExceeded) and loses nothing else.
/// </summary>
internal sealed class UaDecodeException : Exception
{
    public UaDecodeException(uint statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public UaDecodeException()
        : this(StatusCodes.BadDecodingError, "invalid UA Binary encoding")
    {
    }

    public UaDecodeException(string message)
        : this(StatusCodes.BadDecodingError, message)
    {
    }

    public UaDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = StatusCodes.BadDecodingError;
    }

    /// <summary>The OPC UA status code that names the failure.</summary>
    public uint StatusCode { get; }
}
