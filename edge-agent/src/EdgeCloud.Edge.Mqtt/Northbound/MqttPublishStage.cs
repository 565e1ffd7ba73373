using System.Threading.Channels;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Mqtt.Northbound;

/// <summary>
/// The northbound routes as a pipeline stage: <see cref="Process"/> matches a point against the
/// routes (the answer is cached per tag) and queues one message per matching route, without
/// waiting. Overflow policy: <b>drop-oldest</b>, counted in <c>edge_mqtt_northbound_dropped</c>:
/// when the local broker is slow or away the newest values win, and nothing is lost for good
/// because the outbox, not MQTT, is the durable record. <see cref="MqttPublisherService"/> drains
/// the queue. Process is called on the batcher's thread only, so the cache needs no lock. Alarm
/// events and rule actions come in through <see cref="IMqttOutbound"/> from other threads and share
/// the same queue and overflow policy.
/// </summary>
internal sealed class MqttPublishStage : IPointStage, IMqttOutbound
{
    private readonly (TagGlob Glob, MqttRouteConfig Route)[] _routes;
    private readonly Dictionary<(string Device, string Tag), int[]> _matches = [];
    private readonly Channel<NorthboundItem> _queue;

    public MqttPublishStage(MqttPublishConfig? config, MqttMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Config = config;
        _routes = config is null ? [] : [.. config.Routes.Select(r => (new TagGlob(r.TagFilter), r))];
        _queue = Channel.CreateBounded<NorthboundItem>(
            new BoundedChannelOptions(config?.QueueCapacity ?? 16)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            _ => metrics.CountDropped());
    }

    /// <summary>The publishing config, or null when the site publishes nothing.</summary>
    public MqttPublishConfig? Config { get; }

    /// <summary>The queued messages, read by the publisher only.</summary>
    public ChannelReader<NorthboundItem> Queue => _queue.Reader;

    /// <inheritdoc />
    public bool IsConfigured => Config is not null;

    /// <summary>The route at <paramref name="index"/>.</summary>
    public MqttRouteConfig Route(int index) => _routes[index].Route;

    /// <inheritdoc />
    public void Process(in DataPoint point, List<DataPoint> derived)
    {
        if (_routes.Length == 0)
        {
            return;
        }

        if (!_matches.TryGetValue((point.Device, point.Tag), out var routes))
        {
            routes = Match(point.Device, point.Tag);
            _matches[(point.Device, point.Tag)] = routes;
        }

        foreach (var route in routes)
        {
            // Never fails on a DropOldest channel: a full queue drops its oldest message instead.
            _queue.Writer.TryWrite(new NorthboundItem(point, route, null));
        }
    }

    /// <summary>
    /// The routes whose filter matches the tag. A method of its own because the lambda's captures
    /// made, inline in <see cref="Process"/>, a closure object on every call (the compiler allocates
    /// it where the method starts), one per point on the agent's hot path even with no routes.
    /// </summary>
    private int[] Match(string device, string tag) =>
        [.. Enumerable.Range(0, _routes.Length).Where(i => _routes[i].Glob.IsMatch(device, tag))];

    /// <inheritdoc />
    public bool TryQueue(string topic, byte[] payload, int qos, bool retain)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(payload);
        // Never fails on a DropOldest channel once configured; without a config there is no publisher to drain it.
        return Config is not null && _queue.Writer.TryWrite(new NorthboundItem(default, -1, new MqttOutboundMessage(topic, payload, qos, retain)));
    }
}
