using EdgeCloud.Hub.Storage.Validation;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Hub.Ingest;

/// <summary>Log messages of the sync stream handler (event ids 2000-2099).</summary>
internal sealed partial class FleetSyncService
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Agent {AgentId} {AgentVersion} connected from {Peer} (agent acked {LastAcked}, durable {LastDurable}; hub has up to {Highest})")]
    private static partial void LogConnected(ILogger logger, string agentId, string agentVersion, string peer, ulong lastAcked, ulong lastDurable, ulong highest);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Agent {AgentId} closed its stream from {Peer}")]
    private static partial void LogDisconnected(ILogger logger, string agentId, string peer);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Stream from {Peer} aborted: {Reason}")]
    private static partial void LogAborted(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Agent {AgentId} opened a new stream from {Peer}; closing its older stream from {OlderPeer}")]
    private static partial void LogReplaced(ILogger logger, string agentId, string peer, string olderPeer);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Refused stream from {Peer} (agent {AgentId}) with {Code}: {Reason}")]
    private static partial void LogHelloRefused(ILogger logger, string peer, string agentId, StatusCode code, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error,
        Message = "Refused telemetry batch {Sequence} of agent {AgentId}: {Reason}. The agent will resend it until its encoder is fixed")]
    private static partial void LogBatchRefused(ILogger logger, string agentId, ulong sequence, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Could not store batch {Sequence} of agent {AgentId}")]
    private static partial void LogStoreFailed(ILogger logger, Exception error, string agentId, ulong sequence);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "Agent {AgentId} resent batch {Sequence}, already stored; acknowledged again")]
    private static partial void LogDuplicate(ILogger logger, string agentId, ulong sequence);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Agent {AgentId} skipped sequences {From}..{To} (batch {Sequence} arrived); recorded as a gap")]
    private static partial void LogGap(ILogger logger, string agentId, ulong from, ulong to, ulong sequence);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Agent {AgentId} filled a gap with batch {Sequence}")]
    private static partial void LogGapFilled(ILogger logger, string agentId, ulong sequence);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Agent {AgentId} dropped {Points} points before batch {Sequence} (disk budget)")]
    private static partial void LogDroppedPoints(ILogger logger, string agentId, ulong points, ulong sequence);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Information, Message = "Agent {AgentId} compacted {Points} raw points of batch {Sequence} into {Rollups} rollups before sending (disk budget); stored as rollups")]
    private static partial void LogCompactedPoints(ILogger logger, string agentId, ulong points, int rollups, ulong sequence);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Debug, Message = "Agent {AgentId} sent {Kind}, which this hub does not handle yet; ignored")]
    private static partial void LogIgnored(ILogger logger, string agentId, AgentMessage.BodyOneofCase kind);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Agent {AgentId} sent a second Hello on one stream; ignored")]
    private static partial void LogRepeatedHello(ILogger logger, string agentId);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Debug, Message = "Could not send the refusal: {Reason}")]
    private static partial void LogRefusalNotSent(ILogger logger, string reason);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Could not record when agent {AgentId} was last seen: {Reason}")]
    private static partial void LogLastSeenNotStored(ILogger logger, string agentId, string reason);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Information, Message = "Ending the stream from {Peer}: the hub is shutting down")]
    private static partial void LogEndedForShutdown(ILogger logger, string peer);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Live snapshot from agent {AgentId} ignored: tag '{Tag}' is not " + NameRules.TagRuleText)]
    private static partial void LogLiveSnapshotRefused(ILogger logger, string agentId, string tag);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Warning, Message = "A stream observer failed after agent {AgentId} disconnected: {Reason}")]
    private static partial void LogObserverFailed(ILogger logger, string agentId, string reason);
}
