using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.LoadTool;

/// <summary>
/// A hub as its own process (cloud-hub.dll from this tool's folder, SQLite in a temp folder, InsecureDevelopment,
/// loopback on free ports), so that its memory and CPU are not mixed with the tool's. Killed and its folder
/// removed on dispose.
/// </summary>
internal sealed class HubProcess : IDisposable
{
    private readonly string _folder;

    private HubProcess(Process process, string folder, int apiPort, int syncPort)
    {
        (Process, _folder) = (process, folder);
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(30) };
        SyncUri = new Uri($"http://127.0.0.1:{syncPort}");
    }

    public Process Process { get; }

    /// <summary>A client of the hub's API listener (REST, /metrics, /healthz).</summary>
    public HttpClient Api { get; }

    /// <summary>The hub's gRPC sync endpoint (cleartext).</summary>
    public Uri SyncUri { get; }

    /// <summary>Starts the hub and waits until /healthz answers 200.</summary>
    /// <remarks>With <c>inMemory</c> the hub stores into its in-memory store (<c>Storage:Provider=InMemory</c>) instead of SQLite: still the
    /// real process, gRPC stream, ingest and dedupe, only without the disk store's cost, so that an agent under test can reach a steady state.</remarks>
    public static async Task<HubProcess> StartAsync(string name, bool inMemory = false)
    {
        var folder = Directory.CreateTempSubdirectory($"load-{name}-").FullName;
        var api = FreePort();
        var sync = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "cloud-hub.dll"), $"--Storage:DataDirectory={folder}",
                $"--Kestrel:Endpoints:Api:Url=http://127.0.0.1:{api}", $"--Kestrel:Endpoints:Sync:Url=http://127.0.0.1:{sync}",
                "--Fleet:Mode=InsecureDevelopment", "--Logging:LogLevel:Default=Warning", "--Retention:Enabled=false",
            },
        };
        if (inMemory)
        {
            start.ArgumentList.Add("--Storage:Provider=InMemory");
        }

        var process = Processes.Start(start);
        var hub = new HubProcess(process, folder, api, sync);
        try
        {
            await hub.WaitHealthyAsync();
            return hub;
        }
        catch
        {
            hub.Dispose();
            throw;
        }
    }

    /// <summary>The hub's Prometheus text.</summary>
    public Task<string> MetricsAsync() => Api.GetStringAsync("/metrics");

    public void Dispose()
    {
        Api.Dispose();
        Processes.Stop(Process);
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The sum of every series of one metric in Prometheus text (0 when absent).</summary>
    public static double Sum(string text, string metric) =>
        text.Split('\n')
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal) && (l.Length > metric.Length && (l[metric.Length] == ' ' || l[metric.Length] == '{')))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"the hub exited with code {Process.ExitCode} before answering /healthz");
            }

            try
            {
                if ((await Api.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            await Task.Delay(200);
        }
    }
}
