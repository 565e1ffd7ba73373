using System.Diagnostics.Metrics;

namespace EdgeCloud.Edge.Mqtt.Tests.Support;

/// <summary>A minimal <see cref="IMeterFactory"/> for components built without a host.</summary>
internal sealed class TestMeters : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public static MqttMetrics NewMetrics() => new(new TestMeters());

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
