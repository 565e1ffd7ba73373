using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Southbound;

namespace EdgeCloud.Edge.Mqtt.Tests.Support;

/// <summary>An <see cref="MqttDeviceSession"/> running until disposed, with its sink, logs and metrics at hand.</summary>
internal sealed class RunningSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private RunningSession(MqttDeviceConfig config, CollectingSink sink, CollectingLoggerProvider logs, MqttMetrics metrics)
    {
        Sink = sink;
        Logs = logs;
        Metrics = metrics;
        _run = new MqttDeviceSession(config, sink, TimeProvider.System, metrics, logs).RunAsync(_stop.Token);
    }

    public CollectingSink Sink { get; }

    public CollectingLoggerProvider Logs { get; }

    public MqttMetrics Metrics { get; }

    public static async Task<RunningSession> StartAsync(MqttDeviceConfig config, bool waitConnected = true)
    {
        var session = new RunningSession(config, new CollectingSink(), new CollectingLoggerProvider(), TestMeters.NewMetrics());
        if (waitConnected)
        {
            await Eventually.WaitAsync(() => session.Logs.Count(6300) > 0 || session._run.IsCompleted, "the session connects");
        }

        return session;
    }

    /// <summary>A device config for a broker on loopback.</summary>
    public static MqttDeviceConfig Device(int port, string clientId, params MqttSubscriptionConfig[] subscriptions) =>
        new("dev1", new MqttConnectionConfig("127.0.0.1", port, clientId, null, null, null, CleanSession: false, TimeSpan.FromHours(1), TimeSpan.FromSeconds(30)), subscriptions);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
