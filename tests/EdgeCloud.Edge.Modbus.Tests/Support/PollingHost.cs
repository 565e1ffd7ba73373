using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.Tests.Support;

/// <summary>A generic host wired the way the agent wires Modbus: SiteConfig and IPointSink registered, then AddModbusSources.</summary>
internal sealed class PollingHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PollingHost(IHost host, CollectingSink sink, CollectingLoggerProvider logs)
    {
        _host = host;
        Sink = sink;
        Logs = logs;
    }

    public CollectingSink Sink { get; }

    public CollectingLoggerProvider Logs { get; }

    public static async Task<PollingHost> StartAsync(SiteConfig site)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var sink = new CollectingSink();
        var logs = new CollectingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(site);
        builder.Services.AddSingleton<IPointSink>(sink);
        builder.AddModbusSources();
        var result = new PollingHost(builder.Build(), sink, logs);
        await result._host.StartAsync();
        return result;
    }

    public IServiceProvider Services => _host.Services;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        if (_host is IAsyncDisposable host)
        {
            await host.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
