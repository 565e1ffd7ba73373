namespace EdgeCloud.Edge.Outbox.Journal;

/// <summary>One segment file of the journal and the sequences it holds.</summary>
internal sealed class JournalSegment
{
    public JournalSegment(string path, ulong firstSequence)
    {
        Path = path;
        FirstSequence = firstSequence;
        LastSequence = firstSequence == 0 ? 0 : firstSequence - 1;
    }

    public string Path { get; }

    public ulong FirstSequence { get; }

    /// <summary>Highest sequence written to this segment (FirstSequence - 1 while empty).</summary>
    public ulong LastSequence { get; set; }

    public long Length { get; set; }

    public static string FileName(ulong firstSequence) => $"{firstSequence:D20}.seg";
}
