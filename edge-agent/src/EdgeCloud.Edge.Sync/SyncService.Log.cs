using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Sync;

/// <summary>Sync log events (ids 3000-3099).</summary>
internal sealed partial class SyncService
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Hub link up: {Hub} (hub holds up to {HubSequence}, outbox durable up to {Durable})")]
    private static partial void LogConnected(ILogger logger, Uri hub, ulong hubSequence, ulong durable);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Hub link down ({Hub}): {Reason}; retrying in {Delay}")]
    private static partial void LogLinkDown(ILogger logger, Uri hub, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Hub link lost after a healthy session: {Reason}; reconnecting")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Batch {Sequence} is {Bytes} bytes, above the message limit of the hub {Hub} ({Limit} bytes): the link cannot move past it until the hub's Ingest:MaxReceiveMessageBytes is raised; retrying at the longest backoff")]
    private static partial void LogBatchTooLarge(ILogger logger, ulong sequence, int bytes, int limit, Uri hub);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Ignored hub message {Kind} (not supported by this agent)")]
    private static partial void LogIgnored(ILogger logger, string kind);
}
