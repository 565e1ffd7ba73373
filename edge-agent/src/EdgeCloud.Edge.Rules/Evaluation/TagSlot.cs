using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// The latest state of one tag that rules read: its value, quality and time, the previous good
/// value (for rates), an optional sample window (for aggregates) and the rules to re-evaluate
/// when it changes. Written only by the rule engine under its lock.
/// </summary>
internal sealed class TagSlot(string device, string tag)
{
    public string Device { get; } = device;

    public string Tag { get; } = tag;

    public string Address { get; } = device + "/" + tag;

    public bool HasValue { get; private set; }

    public double Value { get; private set; }

    public long Ticks { get; private set; }

    public PointQuality Quality { get; private set; } = PointQuality.BadNotConnected;

    public bool HasPrevious { get; private set; }

    public double PreviousValue { get; private set; }

    public long PreviousTicks { get; private set; }

    /// <summary>Kept when an expression aggregates this tag over a window.</summary>
    public SampleWindow? Window { get; set; }

    /// <summary>Indexes of the rules that read this tag, in config order.</summary>
    public int[] Dependents { get; set; } = [];

    /// <summary>Records <paramref name="point"/>; only good values move the previous value and the window.</summary>
    public void Update(in DataPoint point)
    {
        var value = point.Value.AsDouble();
        var ticks = point.Timestamp.UtcTicks;
        Quality = point.Quality;
        if (point.Quality.IsBad() || double.IsNaN(value))
        {
            HasValue = true;
            Value = double.NaN;
            return;
        }

        if (HasValue && !double.IsNaN(Value) && ticks > Ticks)
        {
            HasPrevious = true;
            PreviousValue = Value;
            PreviousTicks = Ticks;
        }

        HasValue = true;
        Value = value;
        Ticks = ticks;
        Window?.Add(ticks, value);
    }
}
