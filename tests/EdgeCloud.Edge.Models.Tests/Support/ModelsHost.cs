using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models.Loading;
using EdgeCloud.Edge.Models.Runtime;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Models.Tests.Support;

/// <summary>
/// The models component as the agent composes it (<c>AddModels</c>), over a real
/// <see cref="PointPipeline"/> whose far end this class drains into a list, in place of the
/// outbox's batcher. Tests call <see cref="Stage"/> from one thread, as the batcher does.
/// </summary>
internal sealed class ModelsHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly PointPipeline _pipeline;
    private readonly List<DataPoint> _published = [];
    private readonly Task _drain;

    private ModelsHost(IHost host)
    {
        _host = host;
        _pipeline = host.Services.GetRequiredService<PointPipeline>();
        _drain = DrainAsync();
    }

    public static async Task<ModelsHost> StartAsync(string folder, Action<ModelsOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var config = new AgentConfig(
            "test",
            Path.GetTempPath(),
            new HubLinkConfig(new Uri("http://127.0.0.1:1"), 1, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)),
            new OutboxConfig(1000, TimeSpan.FromSeconds(1), 1L << 30),
            TestSite.Create(),
            "test.json")
        { ModelsDirectory = folder };
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(config.Site);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<PointPipeline>();
        builder.Services.AddSingleton<IPointSink>(sp => sp.GetRequiredService<PointPipeline>());
        builder.AddModels();
        builder.Services.Configure<ModelsOptions>(o =>
        {
            o.SettleTime = TimeSpan.FromMilliseconds(100);
            o.RescanInterval = TimeSpan.FromSeconds(1);
            configure?.Invoke(o);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ModelsHost(host);
    }

    /// <summary>The stage the batcher would call.</summary>
    public IPointStage Stage => _host.Services.GetServices<IPointStage>().Single();

    public ModelRegistry Registry => _host.Services.GetRequiredService<ModelRegistry>();

    public ModelFolderWatcher Watcher => _host.Services.GetRequiredService<ModelFolderWatcher>();

    /// <summary>Feeds one point to the stage, as the batcher does.</summary>
    public void Feed(string device, string tag, double value, PointQuality quality = PointQuality.Good) =>
        Stage.Process(new DataPoint(device, tag, DateTimeOffset.UnixEpoch, TagValue.FromNumber(value), quality), []);

    /// <summary>What the models published so far for <paramref name="address"/>, in order.</summary>
    public List<DataPoint> Published(string address)
    {
        lock (_published)
        {
            return [.. _published.Where(p => p.Address == address)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _pipeline.Complete();
        await _drain;
        _host.Dispose();
    }

    private async Task DrainAsync()
    {
        while (await _pipeline.WaitToReadAsync(1))
        {
            lock (_published)
            {
                for (var run = _pipeline.Peek(out _); !run.IsEmpty; run = _pipeline.Peek(out _))
                {
                    _published.AddRange(run);
                    _pipeline.Advance(run.Length);
                }
            }
        }
    }
}
