using EdgeCloud.Hub.Tests.TestSupport;
using Microsoft.Playwright;

namespace EdgeCloud.Hub.Dashboard.Tests.TestSupport;

/// <summary>
/// One real hub (Kestrel on loopback, insecure development mode, a known admin key) and one headless Chromium
/// (Debian's <c>/usr/bin/chromium</c>, or <c>EDGECLOUD_CHROMIUM</c>) driven by Playwright, shared by a test
/// class. Screenshots go to <see cref="Screenshots"/> (<c>screenshots/</c> beside the test assembly).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime, IDisposable
{
    public const string AdminKey = "ecak_dashboard-tests-admin-key";

    private readonly TempDirectory _data = new();

    internal TestHub Hub { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        Hub = await TestHub.StartAsync(
            _data.Path,
            null,
            $"--Fleet:BootstrapAdminKey={AdminKey}",
            "--Live:CoalesceMilliseconds=100");

        var chromium = Environment.GetEnvironmentVariable("EDGECLOUD_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"no Chromium at {chromium}: install Debian's 'chromium' package (.ci/run does) or set EDGECLOUD_CHROMIUM");
        }

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();

        // Root (CI) cannot use Chromium's sandbox; /dev/shm is small in containers.
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (its own sessionStorage) and page on the hub, recording what the console said.</summary>
    public async Task<DashboardPage> OpenAsync(int width = 1280, int height = 860, bool phone = false, string? credential = AdminKey)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Hub.ApiUri.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = phone,
            HasTouch = phone,
        });
        if (credential is not null)
        {
            // What the sign-in form stores; put there before any page script runs.
            await context.AddInitScriptAsync($"sessionStorage.setItem('edgecloud.credential', '{credential}');");
        }

        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        return new DashboardPage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }
    }

    /// <summary>Runs after <see cref="DisposeAsync"/>: the hub's data folder goes last.</summary>
    public void Dispose() => _data.Dispose();
}
