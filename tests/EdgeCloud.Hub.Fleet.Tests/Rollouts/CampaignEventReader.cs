using System.Text;

namespace EdgeCloud.Hub.Fleet.Tests.Rollouts;

/// <summary>Reads <c>GET /api/v1/campaigns/events</c> in the background, keeping the text received.</summary>
internal sealed class CampaignEventReader : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _received = new();
    private readonly Lock _lock = new();
    private readonly Task _loop;

    public CampaignEventReader(HttpClient client) => _loop = ReadAsync(client);

    public string Received
    {
        get
        {
            lock (_lock)
            {
                return _received.ToString();
            }
        }
    }

    /// <summary>Waits until an event of campaign <paramref name="id"/> in <paramref name="state"/> arrived.</summary>
    public Task WaitForAsync(string id, string state) =>
        TestSupport.Eventually.TrueAsync(
            () => Task.FromResult(Received.Split('\n').Any(line => line.StartsWith("data:", StringComparison.Ordinal)
                && line.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal) && line.Contains($"\"state\":\"{state}\"", StringComparison.Ordinal))),
            $"an event of campaign {id} in state {state}");

    /// <summary>What arrived after waiting <paramref name="window"/>.</summary>
    public async Task<string> ReadForAsync(TimeSpan window)
    {
        await Task.Delay(window);
        return Received;
    }

    private async Task ReadAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync("/api/v1/campaigns/events", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                lock (_lock)
                {
                    _received.AppendLine(line);
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or HttpRequestException)
        {
            // Disposed, or the hub stopped.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
