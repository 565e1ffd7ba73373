namespace EdgeCloud.Edge.Agent.Cli.Doctor;

/// <summary>One doctor line: what was checked, how it ended, and what the installer should know.</summary>
/// <param name="Outcome">How the check ended.</param>
/// <param name="Check">What was checked, e.g. "device plc1".</param>
/// <param name="Detail">The finding, with the fix when there is one.</param>
internal sealed record CheckResult(CheckOutcome Outcome, string Check, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Outcome.ToString().ToUpperInvariant(),-4}  {Check,-20}  {Detail}";
}
