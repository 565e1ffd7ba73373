using EdgeCloud.Edge.Agent.Hosting.Systemd;

namespace EdgeCloud.Packaging.Tests.Hosting.Systemd;

public sealed class WatchdogSettingsTests
{
    [Theory]
    [InlineData("30000000", null, 30_000)]
    [InlineData("2000000", "4242", 2_000)]
    public void Parse_ArmedForThisProcess_HalfTimeoutPings(string usec, string? pid, int timeoutMs)
    {
        var settings = WatchdogSettings.Parse(usec, pid, 4242);

        Assert.NotNull(settings);
        Assert.Equal(TimeSpan.FromMilliseconds(timeoutMs), settings.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(timeoutMs / 2), settings.PingInterval);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("abc", null)]
    [InlineData("2000000", "1")]
    [InlineData("2000000", "x")]
    public void Parse_NotArmedOrForAnotherProcess_Null(string? usec, string? pid) =>
        Assert.Null(WatchdogSettings.Parse(usec, pid, 4242));
}
