using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Connection;
using EdgeCloud.Edge.Mqtt.Southbound.Json;
using EdgeCloud.Edge.Mqtt.Southbound.Sparkplug;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace EdgeCloud.Edge.Mqtt.Southbound;

/// <summary>
/// One MQTT device: a client connection to its broker, kept up with jittered backoff, and the
/// mappers of its subscriptions. A message is acknowledged only after its points were accepted by
/// the <see cref="IPointSink"/> (MQTTnet sends the PUBACK when the handler returns), so with a
/// persistent session a QoS 1 message is never lost between the broker and the pipeline. Connection
/// state changes are logged once each; while the broker is away every tag is marked bad once.
/// </summary>
internal sealed partial class MqttDeviceSession
{
    private readonly MqttDeviceConfig _config;
    private readonly IPointSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IPayloadMapper[] _mappers;
    private readonly List<DataPoint> _points = [];
    private readonly List<MqttApplicationMessage> _replies = [];
    private readonly HashSet<Type> _mapperFailures = [];
    private TaskCompletionSource<string>? _lost;
    private IMqttClient? _client;
    private CancellationToken _stopping;

    public MqttDeviceSession(MqttDeviceConfig config, IPointSink sink, TimeProvider time, MqttMetrics metrics, ILogger logger)
    {
        _config = config;
        _sink = sink;
        _time = time;
        _logger = logger;
        Metrics = metrics;
        var problems = new PayloadProblems(config.Name, metrics, logger);
        _mappers = [.. config.Subscriptions.Select<MqttSubscriptionConfig, IPayloadMapper>(s => s switch
        {
            MqttJsonSubscriptionConfig json => new JsonPayloadMapper(json, problems),
            MqttSparkplugSubscriptionConfig sparkplug => new SparkplugNodeMapper(sparkplug, problems, metrics, time, logger),
            _ => throw new NotSupportedException($"subscription type {s.GetType().Name}"),
        })];
    }

    private MqttMetrics Metrics { get; }

    /// <summary>Connects, subscribes and keeps the connection up until <paramref name="cancellationToken"/> fires; then disconnects cleanly (the broker keeps a persistent session).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        using var client = new MqttClientFactory().CreateMqttClient();
        _client = client;
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += e =>
        {
            _lost?.TrySetResult(e.Exception?.Message ?? e.ReasonString ?? e.Reason.ToString());
            return Task.CompletedTask;
        };

        MqttClientOptions options;
        try
        {
            options = MqttClientOptionsFactory.Create(_config.Connection);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // An unreadable CA file: this device cannot run, the others and the agent go on.
            LogCannotConnect(_logger, _config.Name, _config.Connection.Endpoint, $"TLS CA file: {ex.Message}; the device stays disconnected");
            await MarkAllBadAsync(cancellationToken);
            return;
        }

        if (_config.Connection.Tls is { AllowUntrusted: true })
        {
            LogUntrusted(_logger, _config.Name, _config.Connection.Endpoint);
        }

        var backoff = new JitteredBackoff();
        string? lastFailure = null;
        var markedBad = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _lost = lost;
            try
            {
                var result = await client.ConnectAsync(options, cancellationToken);
                await SubscribeAsync(client, cancellationToken);
                backoff.Reset();
                lastFailure = null;
                markedBad = false;
                LogConnected(_logger, _config.Name, _config.Connection.Endpoint, _config.Connection.ClientId, result.IsSessionPresent);
                var reason = await lost.Task.WaitAsync(cancellationToken);
                LogLost(_logger, _config.Name, _config.Connection.Endpoint, reason);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever failed (refused, timed out, CONNACK refused, SUBACK failed), the device
                // must not stop the agent: log the reason once, drop a half-open link, retry later.
                if (ex.Message != lastFailure)
                {
                    LogCannotConnect(_logger, _config.Name, _config.Connection.Endpoint, ex.Message);
                    lastFailure = ex.Message;
                }

                await DisconnectAsync(client);
            }

            if (!markedBad)
            {
                markedBad = true;
                await MarkAllBadAsync(cancellationToken);
            }

            try
            {
                await Task.Delay(backoff.Next(), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await DisconnectAsync(client);
    }

    private async Task SubscribeAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var group in _mappers.SelectMany(m => m.TopicFilters.Select(f => (Filter: f, m.Qos))).GroupBy(x => x.Filter, StringComparer.Ordinal))
        {
            // Retained messages only for a new subscription: a resumed session must not replay them as fresh values.
            builder.WithTopicFilter(f => f
                .WithTopic(group.Key)
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)group.Max(x => x.Qos))
                .WithRetainHandling(MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly));
        }

        var result = await client.SubscribeAsync(builder.Build(), cancellationToken);
        foreach (var item in result.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2))
        {
            LogSubscribeRefused(_logger, _config.Name, item.TopicFilter.Topic, item.ResultCode.ToString());
        }
    }

    private async Task MarkAllBadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var points = _mappers.SelectMany(m => m.TagNames)
            .Select(tag => new DataPoint(_config.Name, tag, now, TagValue.None, PointQuality.BadCommunication, (uint)MqttBadReason.BrokerDisconnected))
            .ToList();
        try
        {
            await _sink.PublishAsync(points, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: nothing more to report.
        }
    }

    private async Task DisconnectAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            // A normal DISCONNECT keeps the session (its expiry came with CONNECT) and discards the will.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            LogDisconnectFailed(_logger, _config.Name, ex.Message);
        }
    }
}
