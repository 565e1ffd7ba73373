using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace EdgeCloud.Hub.Dashboard.Tests.TestSupport;

/// <summary>A page in its own browser context, with every console error and uncaught script error it produced.</summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    internal DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => Errors.Enqueue("uncaught: " + error);
    }

    public IPage Page { get; }

    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Errors other than the browser's note on an HTTP error status (the optional APIs answer 404 on purpose).</summary>
    public IReadOnlyList<string> ScriptErrors => [.. Errors.Where(e => !e.StartsWith("Failed to load resource", StringComparison.Ordinal))];

    public Task GotoAsync(string hash) => Page.GotoAsync("/dashboard/" + hash);

    public async Task ScreenshotAsync(string folder, string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
