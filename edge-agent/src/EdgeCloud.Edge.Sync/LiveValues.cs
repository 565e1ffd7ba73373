using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Sync;

/// <summary>
/// The live lane's source: the newest point of every tag that changed since the last snapshot.
/// A pipeline stage, so it sees every point (derived ones too when registered after their stage)
/// on the batcher's thread; the sync client takes snapshots from its own. Bounded: at most
/// <see cref="MaxTags"/> tags wait at once; points of further tags are counted, not kept.
/// </summary>
/// <remarks>
/// Keyed device first, then tag: both levels are string-keyed dictionaries (the runtime's fast
/// ordinal hashing, no tuple hashing two strings per point), and a run of points from one poll
/// finds its device's map once through the last-device cache, compared by reference because a
/// source reuses its device name's instance. A run takes the lock once (<see cref="ProcessRun"/>).
/// </remarks>
public sealed class LiveValues : IPointBatchStage
{
    /// <summary>Tags that can wait at once.</summary>
    public const int MaxTags = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, DataPoint>> _changed = new(StringComparer.Ordinal);
    private string? _lastDevice;
    private Dictionary<string, DataPoint>? _lastTags;
    private int _count;
    private long _overflow;

    /// <summary>Points not kept because <see cref="MaxTags"/> other tags were waiting.</summary>
    public long Overflow => Interlocked.Read(ref _overflow);

    /// <inheritdoc />
    public void Process(in DataPoint point, List<DataPoint> derived)
    {
        lock (_lock)
        {
            Keep(point);
        }
    }

    /// <inheritdoc />
    public void ProcessRun(ReadOnlySpan<DataPoint> points)
    {
        lock (_lock)
        {
            foreach (ref readonly var point in points)
            {
                Keep(point);
            }
        }
    }

    /// <summary>
    /// Takes the waiting points (newest per tag), at most <paramref name="max"/>; the rest wait
    /// for the next snapshot. The copy runs under the lock the batcher's thread takes per run:
    /// at most <paramref name="max"/> entries, once a second, so the pause stays short. A device
    /// that had nothing waiting for a whole snapshot is forgotten (its map goes).
    /// </summary>
    public List<DataPoint> Take(int max)
    {
        lock (_lock)
        {
            var taken = new List<DataPoint>(Math.Min(max, _count));
            List<string>? idle = null;
            foreach (var (device, tags) in _changed)
            {
                if (tags.Count == 0)
                {
                    (idle ??= []).Add(device);
                    continue;
                }

                if (taken.Count + tags.Count <= max)
                {
                    taken.AddRange(tags.Values);
                    tags.Clear();
                    continue;
                }

                var first = taken.Count;
                foreach (var point in tags.Values)
                {
                    if (taken.Count == max)
                    {
                        break;
                    }

                    taken.Add(point);
                }

                for (var i = first; i < taken.Count; i++)
                {
                    tags.Remove(taken[i].Tag);
                }

                break;
            }

            foreach (var device in idle ?? [])
            {
                _changed.Remove(device);
            }

            _count -= taken.Count;
            (_lastDevice, _lastTags) = (null, null);
            return taken;
        }
    }

    /// <summary>Forgets what waits (no backlog: the durable stream is live).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var tags in _changed.Values)
            {
                tags.Clear();
            }

            _count = 0;
        }
    }

    /// <summary>Keeps <paramref name="point"/> as its tag's newest; under the lock.</summary>
    private void Keep(in DataPoint point)
    {
        if (!ReferenceEquals(point.Device, _lastDevice))
        {
            if (!_changed.TryGetValue(point.Device, out _lastTags))
            {
                _lastTags = new Dictionary<string, DataPoint>(StringComparer.Ordinal);
                _changed.Add(point.Device, _lastTags);
            }

            _lastDevice = point.Device;
        }

        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_lastTags!, point.Tag);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
        {
            slot = point;
            return;
        }

        if (_count >= MaxTags)
        {
            _overflow++;
            return;
        }

        _lastTags!.Add(point.Tag, point);
        _count++;
    }
}
