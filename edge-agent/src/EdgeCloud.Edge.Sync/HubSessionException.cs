namespace EdgeCloud.Edge.Sync;

/// <summary>
/// A session with the hub ended or could not start for a reason the hub gave or the protocol
/// implies (closed stream, refusal, unexpected first message). Always retried with backoff; a
/// refusal marked not retryable is retried at the maximum backoff, since an operator may fix it
/// on the hub side.
/// </summary>
public sealed class HubSessionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HubSessionException(string message, bool retryable = true)
        : base(message)
    {
        Retryable = retryable;
    }

    /// <summary>Creates the exception without detail.</summary>
    public HubSessionException()
        : this("hub session ended")
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public HubSessionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Retryable = true;
    }

    /// <summary>False when the hub said retrying the same way will not help.</summary>
    public bool Retryable { get; }
}
