using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Outbox.Store;

/// <summary>Outbox log events (ids 2000-2099).</summary>
internal sealed partial class LiteDbOutbox
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Outbox opened at {Directory}: durable up to {LastDurable}, acknowledged up to {LastAcknowledged}, {Batches} batches waiting, {Restored} restored from the journal")]
    private static partial void LogOpened(ILogger logger, string directory, ulong lastDurable, ulong lastAcknowledged, long batches, int restored);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Outbox durable: sequences {First}-{Last} ({Batches} batches, {Points} points)")]
    private static partial void LogGroupDurable(ILogger logger, ulong first, ulong last, int batches, long points);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Outbox storage failure")]
    private static partial void LogStorageFailure(ILogger logger, Exception error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Hub acknowledged sequence {Acknowledged} beyond the durable {Durable}; clamped")]
    private static partial void LogAckBeyondDurable(ILogger logger, ulong acknowledged, ulong durable);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Outbox journal damage: {Segments} damaged segments, {TornBytes} torn bytes cut from the tail")]
    private static partial void LogJournalDamage(ILogger logger, int segments, long tornBytes);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Outbox store {Path} is damaged (it could not be opened or read back, or it hides journaled batches) and was moved to {Aside}; rebuilding from the journal")]
    private static partial void LogStoreDamaged(ILogger logger, string path, string aside, Exception error);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Outbox drained: store file recreated, {Before} -> {After} bytes")]
    private static partial void LogStoreShrunk(ILogger logger, long before, long after);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Hub already holds sequences up to {Sequence} from an earlier life of this agent; {Renumbered} waiting batches renumbered above it")]
    private static partial void LogSequenceRaised(ILogger logger, ulong sequence, int renumbered);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Outbox over its disk budget: dropped the {Batches} oldest telemetry batches ({Points} points, {Bytes} payload bytes) up to sequence {UpTo}; {Events} event batches kept; the hub is told")]
    private static partial void LogBudgetDropped(ILogger logger, long batches, long points, long bytes, ulong upTo, int events);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Outbox over its disk budget ({PayloadBytes} payload bytes) but nothing droppable: only events and the newest batch are stored")]
    private static partial void LogBudgetNothingToDrop(ILogger logger, long payloadBytes);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Outbox over its disk budget: compacted the {Batches} oldest telemetry batches ({Points} points) into rollups, {Before} -> {After} payload bytes, up to sequence {UpTo}; written as sequence {Carrier}")]
    private static partial void LogBudgetCompacted(ILogger logger, long batches, long points, long before, int after, ulong upTo, ulong carrier);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Outbox TTL: removed {Batches} expired batches ({Points} points) up to sequence {UpTo}; {Events} younger event batches kept; the hub is told")]
    private static partial void LogExpired(ILogger logger, long batches, long points, ulong upTo, int events);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "Outbox disk full ({Reason}); dropping the oldest telemetry and retrying")]
    private static partial void LogDiskFull(ILogger logger, string reason);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Outbox deleted the older set-aside store {Path} ({Bytes} bytes): only the newest one is kept for inspection")]
    private static partial void LogSetAsideSuperseded(ILogger logger, string path, long bytes);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Outbox deleted the set-aside store {Path} ({Bytes} bytes) to make room: {Reason}; it held nothing the journal does not")]
    private static partial void LogSetAsideReleased(ILogger logger, string path, long bytes, string reason);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Outbox could not delete the set-aside store {Path}: it stays on the disk, outside the budget")]
    private static partial void LogSetAsideNotDeleted(ILogger logger, string path, Exception error);
}
