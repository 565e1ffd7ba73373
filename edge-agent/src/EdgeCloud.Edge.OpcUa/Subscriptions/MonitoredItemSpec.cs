namespace EdgeCloud.Edge.OpcUa.Subscriptions;

/// <summary>
/// What to monitor and how (OPC 10000-4 §5.12): the node, sampling interval, queue size and the
/// data-change filter. <see cref="Watchdog"/>, when set, is how long the item may stay silent
/// before it is rebuilt (for values that are known to change).
/// </summary>
internal sealed record MonitoredItemSpec(
    NodeId NodeId,
    double SamplingInterval = 500,
    uint QueueSize = 10,
    DataChangeTrigger Trigger = DataChangeTrigger.StatusValue,
    DeadbandType Deadband = DeadbandType.None,
    double DeadbandValue = 0,
    TimeSpan? Watchdog = null);
