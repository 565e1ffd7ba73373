using System.Text.Json;

namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>The exactly-once invariants, checked through the hub's REST API only.</summary>
internal static class HubAssertions
{
    /// <summary>
    /// Every sequence 1..highest is stored exactly once (batches == highest, no gaps), the hub
    /// holds at least <paramref name="atLeastSequence"/>, no (tag, timestamp) is stored twice, and
    /// the per-tag point counts add up to the agent's point total.
    /// </summary>
    public static Task<JsonElement> AssertExactlyOnceAsync(HubServer hub, string agentId, ulong atLeastSequence, IEnumerable<string> tags) =>
        AssertExactlyOnceAsync(hub.Http, agentId, atLeastSequence, tags);

    /// <summary>The same checks against any hub's REST API (an in-process one or a cloud-hub process).</summary>
    public static async Task<JsonElement> AssertExactlyOnceAsync(HttpClient http, string agentId, ulong atLeastSequence, IEnumerable<string> tags)
    {
        var agent = await HubServer.GetAgentAsync(http, agentId) ?? throw new Xunit.Sdk.XunitException($"hub does not know {agentId}");
        var highest = agent.GetProperty("highestSequence").GetUInt64();
        Assert.True(highest >= atLeastSequence, $"hub holds up to {highest}, expected at least {atLeastSequence}");
        Assert.Equal(highest, agent.GetProperty("batches").GetUInt64());
        Assert.Equal(0, agent.GetProperty("gaps").GetInt32());

        long total = 0;
        var from = DateTimeOffset.UtcNow.AddHours(-1);
        var to = DateTimeOffset.UtcNow.AddMinutes(5);
        foreach (var tag in tags)
        {
            var points = (await HubServer.GetTelemetryAsync(http, agentId, tag, from, to)).GetProperty("points").EnumerateArray().ToList();
            var stamps = points.Select(p => p.GetProperty("t").GetString()).ToList();
            Assert.True(stamps.Count == stamps.Distinct(StringComparer.Ordinal).Count(), $"{tag}: {stamps.Count - stamps.Distinct(StringComparer.Ordinal).Count()} points stored twice");
            total += points.Count;
        }

        Assert.Equal(agent.GetProperty("points").GetInt64(), total);
        return agent;
    }
}
