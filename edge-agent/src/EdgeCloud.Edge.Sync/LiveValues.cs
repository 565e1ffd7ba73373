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
/// Keyed device first (a string-keyed dictionary, and a run of points from one poll finds its
/// device once through the last-device cache, compared by reference because a source reuses its
/// device name's instance), then by the tag's position: each device keeps its tags in slots in the
/// order they first came, and a poll sends its tags in the same order every time, so the slot after
/// the last one hit is tried first with a reference comparison; only a miss hashes the tag name. A
/// run takes the lock once (<see cref="ProcessRun"/>). A device's slots hold the tags it sent
/// since the last snapshot plus the ones before (to keep their positions); a snapshot that finds
/// more than half of them stale drops the stale ones, so a source that keeps inventing tag names
/// cannot grow them without bound.
/// </remarks>
public sealed partial class LiveValues : IPointBatchStage
{
    /// <summary>Tags that can wait at once.</summary>
    public const int MaxTags = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DeviceTags> _changed = new(StringComparer.Ordinal);
    private string? _lastDevice;
    private DeviceTags? _lastTags;
    private int _count;
    private long _overflow;

    /// <summary>Points not kept because <see cref="MaxTags"/> other tags were waiting.</summary>
    public long Overflow => Interlocked.Read(ref _overflow);

    /// <summary>Tags whose positions are kept (waiting or not), over all devices; for tests.</summary>
    internal int KnownTags
    {
        get
        {
            lock (_lock)
            {
                return _changed.Values.Sum(tags => tags.Known);
            }
        }
    }

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
    /// that had nothing waiting for a whole snapshot is forgotten (its slots go).
    /// </summary>
    public List<DataPoint> Take(int max)
    {
        lock (_lock)
        {
            var taken = new List<DataPoint>(Math.Min(max, _count));
            List<string>? idle = null;
            foreach (var (device, tags) in _changed)
            {
                if (tags.WaitingCount == 0)
                {
                    (idle ??= []).Add(device);
                    continue;
                }

                if (taken.Count == max)
                {
                    break;
                }

                tags.TakeInto(taken, max);
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
                tags.ClearWaiting();
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
                _lastTags = new DeviceTags();
                _changed.Add(point.Device, _lastTags);
            }

            _lastDevice = point.Device;
        }

        switch (_lastTags!.Keep(point, _count < MaxTags))
        {
            case DeviceTags.Kept.NowWaiting:
                _count++;
                break;
            case DeviceTags.Kept.NoRoom:
                _overflow++;
                break;
            case DeviceTags.Kept.Updated:
            default:
                break;
        }
    }
}
