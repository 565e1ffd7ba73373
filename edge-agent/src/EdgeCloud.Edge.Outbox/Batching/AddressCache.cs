using System.Runtime.CompilerServices;

namespace EdgeCloud.Edge.Outbox.Batching;

/// <summary>
/// The UTF-8 <c>device/tag</c> bytes of recently encoded addresses, found by the references of the
/// point's device and tag strings: a poller hands the same string instances every poll, so the
/// encoder copies cached bytes instead of transcoding two strings twice per point. Direct-mapped
/// (a newer address takes its slot), and bytes are made only for a pair seen twice in a row in its
/// slot, so a source that makes new strings per point costs no allocation. Not thread-safe: one per
/// batcher.
/// </summary>
internal sealed class AddressCache
{
    private const int Slots = 4096;
    private readonly Entry[] _entries = new Entry[Slots];

    /// <summary>The address bytes of <paramref name="device"/>/<paramref name="tag"/>, or null when they are not cached (yet).</summary>
    public byte[]? Find(string device, string tag)
    {
        ref var entry = ref _entries[(RuntimeHelpers.GetHashCode(device) * 31 + RuntimeHelpers.GetHashCode(tag)) & (Slots - 1)];
        if (ReferenceEquals(entry.Device, device) && ReferenceEquals(entry.Tag, tag))
        {
            return entry.Bytes ??= Encode(device, tag);
        }

        entry = new Entry(device, tag, null);
        return null;
    }

    private static byte[] Encode(string device, string tag)
    {
        var bytes = new byte[BatchEncoder.Utf8.GetByteCount(device) + 1 + BatchEncoder.Utf8.GetByteCount(tag)];
        var at = BatchEncoder.Utf8.GetBytes(device, bytes);
        bytes[at++] = (byte)'/';
        BatchEncoder.Utf8.GetBytes(tag, bytes.AsSpan(at));
        return bytes;
    }

    private record struct Entry(string? Device, string? Tag, byte[]? Bytes);
}
