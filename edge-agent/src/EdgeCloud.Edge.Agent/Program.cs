using EdgeCloud.Edge.Agent.Cli;

return await AgentCommandLine.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration
{
    // The generic host handles SIGINT/SIGTERM itself (and tells systemd); the parser must not.
    ProcessTerminationTimeout = null,
});
