namespace EdgeCloud.Edge.Outbox.Journal;

/// <summary>
/// The journal could not append a group because the disk is full (ENOSPC or EDQUOT). The journal
/// cut its partial append back, and LiteDB was not touched yet, so the group can be retried as a
/// whole once room was made.
/// </summary>
internal sealed class JournalFullException(IOException inner) : IOException(inner.Message, inner);
