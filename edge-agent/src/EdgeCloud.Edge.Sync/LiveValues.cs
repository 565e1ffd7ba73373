using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Sync;

/// <summary>
/// The live lane's source: the newest point of every tag that changed since the last snapshot.
/// A pipeline stage, so it sees every point (derived ones too when registered after their stage)
/// on the batcher's thread; the sync client takes snapshots from its own. Bounded: at most
/// <see cref="MaxTags"/> tags wait at once; points of further tags are counted, not kept.
/// </summary>
public sealed class LiveValues : IPointStage
{
    /// <summary>Tags that can wait at once.</summary>
    public const int MaxTags = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Device, string Tag), DataPoint> _changed = [];
    private long _overflow;

    /// <summary>Points not kept because <see cref="MaxTags"/> other tags were waiting.</summary>
    public long Overflow => Interlocked.Read(ref _overflow);

    /// <inheritdoc />
    public void Process(in DataPoint point, List<DataPoint> derived)
    {
        var key = (point.Device, point.Tag);
        lock (_lock)
        {
            if (_changed.Count >= MaxTags && !_changed.ContainsKey(key))
            {
                _overflow++;
                return;
            }

            _changed[key] = point;
        }
    }

    /// <summary>
    /// Takes the waiting points (newest per tag), at most <paramref name="max"/>; the rest wait
    /// for the next snapshot. The copy runs under the lock the batcher's thread takes per point:
    /// at most <paramref name="max"/> entries, once a second, so the pause stays short.
    /// </summary>
    public List<DataPoint> Take(int max)
    {
        lock (_lock)
        {
            var taken = new List<DataPoint>(Math.Min(max, _changed.Count));
            foreach (var point in _changed.Values)
            {
                if (taken.Count == max)
                {
                    break;
                }

                taken.Add(point);
            }

            if (taken.Count == _changed.Count)
            {
                _changed.Clear();
            }
            else
            {
                foreach (var point in taken)
                {
                    _changed.Remove((point.Device, point.Tag));
                }
            }

            return taken;
        }
    }

    /// <summary>Forgets what waits (no backlog: the durable stream is live).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _changed.Clear();
        }
    }
}
