namespace EdgeCloud.Edge.Configuration;

/// <summary>
/// One monitored OPC UA node. Exactly one of <see cref="NodeId"/> and <see cref="BrowsePath"/>
/// is set; a browse path is resolved from the Objects folder once per session.
/// </summary>
/// <param name="Name">Tag name, unique in its device.</param>
/// <param name="NodeId">Node id in text form, for example <c>ns=2;s=Plant.Temperature</c>.</param>
/// <param name="BrowsePath">Browse names from the Objects folder, for example <c>2:Plant/2:Temperature</c>.</param>
/// <param name="SamplingInterval">How often the server samples the value.</param>
/// <param name="QueueSize">Values the server keeps between two publishes.</param>
/// <param name="Deadband">No deadband, absolute (engineering units) or percent of the EU range.</param>
/// <param name="DeadbandValue">The deadband's size.</param>
/// <param name="Trigger">What counts as a change: status, status+value (default) or status+value+timestamp.</param>
/// <param name="Watchdog">Rebuild the monitored item when it stays silent this long (for values that always change); null disables.</param>
public sealed record OpcUaTagConfig(
    string Name,
    string? NodeId,
    string? BrowsePath,
    TimeSpan SamplingInterval,
    uint QueueSize,
    OpcUaDeadband Deadband,
    double DeadbandValue,
    OpcUaTrigger Trigger,
    TimeSpan? Watchdog);
