namespace EdgeCloud.Packaging.Tests.Infrastructure;

/// <summary>What a finished child process left: its exit code and both outputs.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Fails the test with the whole output unless the process exited with 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"`{Command}` exited with {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}");
        return this;
    }
}
