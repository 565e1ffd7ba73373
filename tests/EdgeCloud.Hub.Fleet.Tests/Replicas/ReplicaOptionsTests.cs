using EdgeCloud.Hub.Fleet.Tests.TestSupport;

namespace EdgeCloud.Hub.Fleet.Tests.Replicas;

/// <summary>A hub with a bad replica setting does not start, and says which setting is wrong.</summary>
public sealed class ReplicaOptionsTests
{
    [Theory]
    [InlineData("--Replicas:Lease=00:00:06", "Replicas:Lease")]
    [InlineData("--Replicas:Id=hub a/1", "Replicas:Id")]
    public async Task Start_BadReplicaSetting_RefusedNamingIt(string setting, string named)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => SecureHub.StartAsync("--Replicas:HeartbeatInterval=00:00:05", setting));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
