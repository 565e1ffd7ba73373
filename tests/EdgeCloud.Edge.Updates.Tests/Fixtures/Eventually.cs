namespace EdgeCloud.Edge.Updates.Tests.Fixtures;

/// <summary>Polls a condition until it holds or the time is up (no fixed sleeps in the tests).</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan limit, Func<string> explain)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"not within {limit.TotalSeconds:0} s: {explain()}");
            }

            await Task.Delay(50);
        }
    }
}
