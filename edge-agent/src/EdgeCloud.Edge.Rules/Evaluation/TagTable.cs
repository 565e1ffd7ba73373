using System.Diagnostics.CodeAnalysis;

namespace EdgeCloud.Edge.Rules.Evaluation;

/// <summary>
/// The tags rules read, indexed by (device, tag) without building the address string, so a point
/// for a tag no rule reads costs one dictionary miss and nothing else.
/// </summary>
internal sealed class TagTable
{
    private readonly Dictionary<(string Device, string Tag), TagSlot> _slots = [];

    public int Count => _slots.Count;

    public IEnumerable<TagSlot> Slots => _slots.Values;

    /// <summary>The slot of <paramref name="address"/> (<c>device/tag</c>), created on first use.</summary>
    public TagSlot GetOrAdd(string address)
    {
        var slash = address.IndexOf('/', StringComparison.Ordinal);
        return GetOrAdd(address[..slash], address[(slash + 1)..]);
    }

    public TagSlot GetOrAdd(string device, string tag)
    {
        if (!_slots.TryGetValue((device, tag), out var slot))
        {
            slot = new TagSlot(device, tag);
            _slots.Add((device, tag), slot);
        }

        return slot;
    }

    public bool TryGet(string device, string tag, [NotNullWhen(true)] out TagSlot? slot) => _slots.TryGetValue((device, tag), out slot);
}
