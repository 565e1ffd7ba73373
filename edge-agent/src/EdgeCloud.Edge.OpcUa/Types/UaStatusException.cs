namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>
/// A service, a channel or a security check failed with an OPC UA status code. The message says
/// what was attempted and the code's name, so a log line alone tells an installer what failed.
/// </summary>
internal sealed class UaStatusException : Exception
{
    public UaStatusException(uint statusCode, string message)
        : base($"{message} ({StatusCodes.Name(statusCode)})")
    {
        StatusCode = statusCode;
    }

    public UaStatusException(uint statusCode, string message, Exception innerException)
        : base($"{message} ({StatusCodes.Name(statusCode)})", innerException)
    {
        StatusCode = statusCode;
    }

    public UaStatusException()
        : this(StatusCodes.BadUnexpectedError, "OPC UA operation failed")
    {
    }

    public UaStatusException(string message)
        : this(StatusCodes.BadUnexpectedError, message)
    {
    }

    public UaStatusException(string message, Exception innerException)
        : this(StatusCodes.BadUnexpectedError, message, innerException)
    {
    }

    public uint StatusCode { get; }
}
