namespace EdgeCloud.Edge.Models.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes (no sleeping as synchronization).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds} s waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }
}
