namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>Awaits a condition with a deadline instead of sleeping blindly.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, Func<T?, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                if (done(last))
                {
                    return last!;
                }
            }
            catch (HttpRequestException ex)
            {
                lastError = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"timed out after {timeout} waiting for {what}; last value: {last}", lastError);
    }

    public static Task TrueAsync(Func<Task<bool>> probe, TimeSpan timeout, string what) =>
        ReturnsAsync(async () => (bool?)await probe(), v => v == true, timeout, what);
}
