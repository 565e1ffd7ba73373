using System.Buffers.Binary;

namespace EdgeCloud.Edge.Tests.Outbox;

/// <summary>
/// Reads the index pages of a LiteDB 5 data file, as LiteDB 5.0.20's source lays them out
/// (<c>BasePage</c>, <c>IndexPage</c>, <c>IndexNode</c>): 8 KiB pages, each with a 32-byte header
/// (page id, type at 4, collection id at 19, highest slot index at 30) and a footer of 4-byte slots
/// counted back from the page's end (segment length, then position; position 0 = free slot). An
/// index node is slot, levels, data block and next-node addresses (5 bytes each: page id + index),
/// a prev/next address pair per level, then its key (type in the low 6 bits of a byte, then the value).
/// Only what a test needs to pick pages: nothing here writes.
/// </summary>
internal sealed class LiteDbPages(byte[] file)
{
    public const int PageSize = 8192;

    private const byte IndexPageType = 3;
    private const byte MinValueKey = 0;
    private const byte Int64Key = 3;

    /// <summary>Every index node in the file.</summary>
    public IEnumerable<Node> IndexNodes()
    {
        for (var page = 0; page < file.Length / PageSize; page++)
        {
            var start = page * PageSize;
            var highest = file[start + 30];
            if (file[start + 4] != IndexPageType || highest == byte.MaxValue)
            {
                continue;
            }

            var collection = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(start + 19));
            for (var slot = 0; slot <= highest; slot++)
            {
                var footer = start + PageSize - ((slot + 1) * 4);
                var position = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(footer + 2));
                if (position != 0)
                {
                    yield return ReadNode((uint)page, (byte)slot, collection, start + position);
                }
            }
        }
    }

    /// <summary>
    /// The nodes of the collection keyed by Int64 (the outbox's batches: <c>_id</c> is the sequence)
    /// with that collection's head node.
    /// </summary>
    public (List<Node> Nodes, Node Head) Int64Index()
    {
        var all = IndexNodes().ToList();
        var nodes = all.Where(n => n.KeyType == Int64Key).ToList();
        var collection = Assert.Single(nodes.Select(n => n.Collection).Distinct());
        var head = Assert.Single(all, n => n.Collection == collection && n.KeyType == MinValueKey);
        return (nodes, head);
    }

    private Node ReadNode(uint page, byte slot, uint collection, int at)
    {
        var levels = file[at + 1];
        var next = new (uint Page, byte Index)[levels];
        for (var level = 0; level < levels; level++)
        {
            var address = at + 12 + (level * 10) + 5;
            next[level] = (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(address)), file[address + 4]);
        }

        var keyAt = at + 12 + (levels * 10);
        var keyType = (byte)(file[keyAt] & 0x3F);
        var key = keyType == Int64Key ? BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(keyAt + 1)) : 0;
        return new Node(page, slot, collection, levels, keyType, key, next);
    }

    /// <summary>One index node: where it is, its skip-list levels, its key and its next pointers per level.</summary>
    internal sealed record Node(uint Page, byte Slot, uint Collection, byte Levels, byte KeyType, long Key, (uint Page, byte Index)[] Next);
}
