using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.Sync;

// One device's tags in the live lane: slots by first arrival, found by position before by name.
public sealed partial class LiveValues
{
    /// <summary>
    /// A device's tags: <see cref="_slots"/> in the order the tags first came, the name index for
    /// a point that is not where the last one suggests, and the waiting slots in the order they
    /// began to wait (the snapshot's order). Under the owner's lock.
    /// </summary>
    private sealed class DeviceTags
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<int> _waiting = [];
        private Slot[] _slots = new Slot[8];
        private int _used;
        private int _last = -1;

        /// <summary>What <see cref="Keep"/> did.</summary>
        public enum Kept
        {
            /// <summary>The tag was waiting already: its point replaced.</summary>
            Updated,

            /// <summary>The tag waits now (one more waiting tag).</summary>
            NowWaiting,

            /// <summary>Not kept: the tag was not waiting and there was no room for one more.</summary>
            NoRoom,
        }

        /// <summary>Tags with a slot.</summary>
        public int Known => _used;

        /// <summary>Tags waiting for the next snapshot.</summary>
        public int WaitingCount => _waiting.Count;

        /// <summary>Keeps <paramref name="point"/> as its tag's newest; a tag not yet waiting only when <paramref name="room"/>.</summary>
        public Kept Keep(in DataPoint point, bool room)
        {
            // The slot after the last one hit (wrapping: the next poll starts over), else by name.
            var at = _last + 1 < _used ? _last + 1 : 0;
            if (_used == 0 || !ReferenceEquals(_slots[at].Point.Tag, point.Tag))
            {
                if (!_index.TryGetValue(point.Tag, out at))
                {
                    if (!room)
                    {
                        return Kept.NoRoom;
                    }

                    at = Add(point.Tag);
                }
            }

            _last = at;
            ref var slot = ref _slots[at];
            if (slot.Waiting)
            {
                slot.Point = point;
                return Kept.Updated;
            }

            if (!room)
            {
                // Known, but other tags fill the room it would take: its slot stays as it was.
                return Kept.NoRoom;
            }

            slot.Point = point;
            slot.Waiting = true;
            _waiting.Add(at);
            return Kept.NowWaiting;
        }

        /// <summary>
        /// Moves waiting points into <paramref name="taken"/> until it holds <paramref name="max"/>,
        /// in the order their tags began to wait. Before that, when more than half the slots did not
        /// wait this time, the stale ones go.
        /// </summary>
        public void TakeInto(List<DataPoint> taken, int max)
        {
            if (_used > 16 && _used - _waiting.Count > _used / 2)
            {
                DropStale();
            }

            var count = Math.Min(max - taken.Count, _waiting.Count);
            for (var i = 0; i < count; i++)
            {
                ref var slot = ref _slots[_waiting[i]];
                taken.Add(slot.Point);
                slot.Waiting = false;
            }

            _waiting.RemoveRange(0, count);
        }

        /// <summary>Nothing waits any more; the positions stay.</summary>
        public void ClearWaiting()
        {
            foreach (var at in _waiting)
            {
                _slots[at].Waiting = false;
            }

            _waiting.Clear();
        }

        private int Add(string tag)
        {
            if (_used == _slots.Length)
            {
                Array.Resize(ref _slots, _used * 2);
            }

            _index.Add(tag, _used);
            return _used++;
        }

        /// <summary>Keeps only the waiting slots, in waiting order (the order the next polls will likely repeat).</summary>
        private void DropStale()
        {
            var kept = new Slot[Math.Max(8, _waiting.Count)];
            _index.Clear();
            for (var i = 0; i < _waiting.Count; i++)
            {
                kept[i] = _slots[_waiting[i]];
                _index.Add(kept[i].Point.Tag, i);
                _waiting[i] = i;
            }

            (_slots, _used, _last) = (kept, _waiting.Count, -1);
        }

        private struct Slot
        {
            public DataPoint Point;
            public bool Waiting;
        }
    }
}
