namespace EdgeCloud.Edge.Sync.Identity;

/// <summary>Enrollment or renewal failed: the hub refused (the message carries its reason) or was unreachable.</summary>
public sealed class EnrollmentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EnrollmentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public EnrollmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without detail.</summary>
    public EnrollmentException()
        : base("enrollment failed")
    {
    }
}
