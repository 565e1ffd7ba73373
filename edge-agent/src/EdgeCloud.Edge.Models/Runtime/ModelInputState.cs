using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// A model's input windows and, for an on-change model, its queue of samples waiting to run.
/// Written by the pipeline stage (one thread), read by the runner loop; one short lock guards both
/// sides (a push is a few stores; the longest hold is one row copy), so the stage never waits on
/// inference. Once <see cref="Close"/>d (its model was replaced by one with other inputs, or
/// removed) it takes no more points, and whatever is queued is still run by the old model: a point
/// is turned into a sample exactly once, by exactly one model version.
/// </summary>
internal sealed class ModelInputState
{
    private readonly Lock _gate = new();
    private readonly FeatureWindow[] _slots;
    private readonly (int Offset, int Stride)[] _layout;
    private readonly SampleQueue? _queue;
    private readonly Action _wake;
    private bool _closed;
    private long _dropped;

    public ModelInputState(ModelManifest manifest, int queueCapacity, Action wake)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        _wake = wake;
        var slots = new List<FeatureWindow>();
        var layout = new List<(int, int)>();
        var tags = new List<(string, string)>();
        var offset = 0;
        foreach (var input in manifest.Inputs)
        {
            for (var f = 0; f < input.Features.Count; f++)
            {
                var feature = input.Features[f];
                slots.Add(new FeatureWindow(input.Window, input.Fill, feature.Normalization));
                layout.Add((offset + f, input.Features.Count));
                tags.Add((feature.Device, feature.Tag));
            }

            offset += input.Length;
        }

        _slots = [.. slots];
        _layout = [.. layout];
        SlotTags = tags;
        RowLength = offset;
        _queue = manifest.RunOnChange ? new SampleQueue(queueCapacity, offset) : null;
    }

    /// <summary>For each slot, the tag that feeds it.</summary>
    public IReadOnlyList<(string Device, string Tag)> SlotTags { get; }

    /// <summary>Floats in one sample.</summary>
    public int RowLength { get; }

    /// <summary>Samples dropped because the queue was full since the last call (the runner reports them).</summary>
    public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    /// <summary>Feeds <paramref name="point"/> to slot <paramref name="slot"/>; false when closed (the caller looks up the current routes again).</summary>
    public bool Offer(int slot, in DataPoint point)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            if (!_slots[slot].Push(point) || _queue is null || !AllReady())
            {
                return true;
            }

            var wasEmpty = _queue.Count == 0;
            var row = _queue.Reserve(point.Timestamp, AnyFilled());
            if (row.IsEmpty)
            {
                Interlocked.Increment(ref _dropped);
                return true;
            }

            WriteRow(row);
            if (wasEmpty)
            {
                // Only on empty -> non-empty: the runner drains to empty under this same lock, so
                // a sample that finds the queue non-empty is sure to be seen by the current drain.
                _wake();
            }
        }

        return true;
    }

    /// <summary>The current windows as one sample (interval models); false when the model may not run yet.</summary>
    public bool TrySnapshot(Span<float> row, out bool uncertain)
    {
        lock (_gate)
        {
            uncertain = AnyFilled();
            if (!AllReady())
            {
                return false;
            }

            WriteRow(row);
            return true;
        }
    }

    /// <summary>Moves up to <paramref name="max"/> queued samples out (on-change models); returns how many.</summary>
    public int Take(Span<float> rows, Span<DateTimeOffset> stamps, Span<bool> uncertain, int max)
    {
        lock (_gate)
        {
            return _queue?.Take(rows, stamps, uncertain, max) ?? 0;
        }
    }

    /// <summary>Takes no more points from now on.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }

    /// <summary>True when two manifests feed their models the same samples (same inputs, windows, fills, tags, normalizations and trigger), so one state can serve both.</summary>
    public static bool SameSamples(ModelManifest a, ModelManifest b) =>
        a.RunOnChange == b.RunOnChange &&
        a.Inputs.Count == b.Inputs.Count &&
        a.Inputs.Zip(b.Inputs).All(p => p.First.Window == p.Second.Window && p.First.Fill == p.Second.Fill && p.First.Features.SequenceEqual(p.Second.Features));

    private bool AllReady()
    {
        foreach (var slot in _slots)
        {
            if (!slot.Ready)
            {
                return false;
            }
        }

        return true;
    }

    private bool AnyFilled()
    {
        foreach (var slot in _slots)
        {
            if (slot.Filled)
            {
                return true;
            }
        }

        return false;
    }

    private void WriteRow(Span<float> row)
    {
        for (var s = 0; s < _slots.Length; s++)
        {
            _slots[s].CopyTo(row, _layout[s].Offset, _layout[s].Stride);
        }
    }
}
