namespace EdgeCloud.Edge.Agent.Cli;

/// <summary>Process exit codes, after sysexits.h so that systemd units and scripts can tell them apart.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 64;

    /// <summary>EX_CONFIG: the configuration is wrong; restarting will not help (RestartPreventExitStatus).</summary>
    public const int Config = 78;
}
