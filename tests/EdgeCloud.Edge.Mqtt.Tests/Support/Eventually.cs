namespace EdgeCloud.Edge.Mqtt.Tests.Support;

/// <summary>Polls a condition with a deadline instead of sleeping a guessed time.</summary>
internal static class Eventually
{
    public static async Task WaitAsync(Func<bool> condition, string what, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"not within {seconds} s: {what}");
            }

            await Task.Delay(20);
        }
    }
}
