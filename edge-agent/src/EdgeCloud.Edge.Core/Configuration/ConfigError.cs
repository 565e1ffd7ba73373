namespace EdgeCloud.Edge.Configuration;

/// <summary>One thing wrong with a config file: which file, where in it, and why.</summary>
/// <param name="File">The file, as given.</param>
/// <param name="Path">A JSON path such as <c>$.devices[0].tags[2].type</c>, or a line/position for syntax errors.</param>
/// <param name="Message">What is wrong, with the expected form where that helps.</param>
public sealed record ConfigError(string File, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {Path}: {Message}";
}

/// <summary>Thrown when a config is refused; carries every error found, not just the first.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    public ConfigurationException(IReadOnlyList<ConfigError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a single message.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a single message and its cause.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates an empty exception.</summary>
    public ConfigurationException()
    {
        Errors = [];
    }

    /// <summary>Every error found.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigError> errors) =>
        $"config refused ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}  " +
        string.Join(Environment.NewLine + "  ", errors);
}
