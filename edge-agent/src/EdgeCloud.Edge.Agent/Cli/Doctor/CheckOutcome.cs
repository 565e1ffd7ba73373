namespace EdgeCloud.Edge.Agent.Cli.Doctor;

/// <summary>How one doctor check ended. Only <see cref="Fail"/> makes the exit code non-zero.</summary>
internal enum CheckOutcome
{
    /// <summary>Nothing to do.</summary>
    Ok,

    /// <summary>Worth a look; the agent works anyway.</summary>
    Warn,

    /// <summary>The agent cannot work as configured until this is fixed.</summary>
    Fail,
}
