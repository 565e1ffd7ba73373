using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.OpcUa;

/// <summary>Source-generated log messages of the OPC UA client; event ids 6000-6299 are this component's.</summary>
internal static partial class UaLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Debug, Message = "OPC UA channel {ChannelId} open to {Endpoint} ({Policy}, {Mode}), token {TokenId} for {LifetimeMs} ms")]
    public static partial void ChannelOpened(ILogger logger, uint channelId, string endpoint, string policy, MessageSecurityMode mode, uint tokenId, uint lifetimeMs);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "OPC UA channel to {Endpoint} failed: {Reason}")]
    public static partial void ChannelFaulted(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "OPC UA channel {ChannelId} renewed its token: {TokenId}")]
    public static partial void TokenRenewed(ILogger logger, uint channelId, uint tokenId);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "OPC UA response to unknown request {RequestId} dropped (it timed out or was cancelled)")]
    public static partial void UnknownResponse(ILogger logger, uint requestId);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "OPC UA session {SessionId} active on {Endpoint} as {Identity}")]
    public static partial void SessionActivated(ILogger logger, string sessionId, string endpoint, string identity);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Debug, Message = "OPC UA session {SessionId} closed")]
    public static partial void SessionClosed(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 6020, Level = LogLevel.Information, Message = "OPC UA subscription {SubscriptionId}: {Accepted} of {Items} monitored items, publishing every {IntervalMs} ms")]
    public static partial void SubscriptionCreated(ILogger logger, uint subscriptionId, int accepted, int items, double intervalMs);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Warning, Message = "OPC UA monitored item {NodeId} rejected: {Status}")]
    public static partial void ItemRejected(ILogger logger, string nodeId, string status);

    [LoggerMessage(EventId = 6022, Level = LogLevel.Warning, Message = "OPC UA monitored item {NodeId} silent for more than {WatchdogMs} ms: rebuilt")]
    public static partial void ItemRebuilt(ILogger logger, string nodeId, double watchdogMs);
}
