using System.Runtime.CompilerServices;
using System.Text;

namespace EdgeCloud.Edge.Outbox.Batching;

/// <summary>
/// The UTF-8 bytes of each point's <c>device/tag</c> address, encoded once per tag instead of once per
/// point (at 100k points/s the per-point transcoding was a visible part of the agent's CPU). Keyed by
/// the device and tag <em>string instances</em>: a source reuses its config's names for every point,
/// so a reference comparison finds them without hashing the text. Owned by one batcher; not
/// thread-safe.
/// </summary>
/// <remarks>
/// The points of a poll come in the same order every poll, so each entry remembers the entry that
/// followed it last time: in steady state a lookup is two reference comparisons, and the dictionary
/// (hashed by instance, not text) is only asked when the order changes. Bounded: at most
/// <see cref="MaxEntries"/> addresses; past that <see cref="Find"/> returns null and the encoder
/// transcodes the point itself, so a source that makes new name strings per point (no reuse to
/// gain from) costs a bounded cache, never one allocation per point. <see cref="Clear"/> forgets all
/// (the batcher calls it when a new site config swaps the sources' names).
/// </remarks>
internal sealed class AddressCache
{
    /// <summary>Addresses kept at most.</summary>
    public const int MaxEntries = 16_384;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Dictionary<Key, Entry> _entries = [];
    private Entry? _last;

    /// <summary>Addresses held.</summary>
    public int Count => _entries.Count;

    /// <summary>The UTF-8 bytes of <c>device/tag</c>, or null when the cache is full and does not hold them.</summary>
    public byte[]? Find(string device, string tag)
    {
        var next = _last?.Next;
        if (next is not null && ReferenceEquals(next.Tag, tag) && ReferenceEquals(next.Device, device))
        {
            _last = next;
            return next.Bytes;
        }

        var key = new Key(device, tag);
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= MaxEntries)
            {
                return null;
            }

            entry = new Entry(device, tag, Encode(device, tag));
            _entries.Add(key, entry);
        }

        if (_last is not null)
        {
            _last.Next = entry;
        }

        _last = entry;
        return entry.Bytes;
    }

    /// <summary>Forgets every address.</summary>
    public void Clear()
    {
        _entries.Clear();
        _last = null;
    }

    private static byte[] Encode(string device, string tag)
    {
        var bytes = new byte[Utf8.GetByteCount(device) + 1 + Utf8.GetByteCount(tag)];
        var at = Utf8.GetBytes(device, bytes);
        bytes[at++] = (byte)'/';
        Utf8.GetBytes(tag, bytes.AsSpan(at));
        return bytes;
    }

    /// <summary>A (device, tag) pair compared by instance.</summary>
    private readonly struct Key(string device, string tag) : IEquatable<Key>
    {
        private readonly string _device = device;
        private readonly string _tag = tag;

        public bool Equals(Key other) => ReferenceEquals(_device, other._device) && ReferenceEquals(_tag, other._tag);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(_device), RuntimeHelpers.GetHashCode(_tag));
    }

    private sealed class Entry(string device, string tag, byte[] bytes)
    {
        public string Device { get; } = device;

        public string Tag { get; } = tag;

        public byte[] Bytes { get; } = bytes;

        /// <summary>The entry found right after this one last time.</summary>
        public Entry? Next { get; set; }
    }
}
