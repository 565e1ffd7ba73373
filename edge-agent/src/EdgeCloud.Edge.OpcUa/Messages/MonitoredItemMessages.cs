namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>One monitored item to create (OPC 10000-4 §7.21, §5.12.2).</summary>
internal sealed record MonitoredItemCreateRequest(
    ReadValueId Item,
    uint ClientHandle,
    double SamplingInterval,
    uint QueueSize,
    DataChangeTrigger Trigger = DataChangeTrigger.StatusValue,
    DeadbandType Deadband = DeadbandType.None,
    double DeadbandValue = 0)
{
    public void Encode(UaBinaryWriter writer)
    {
        Item.Encode(writer);
        writer.WriteUInt32(2); // monitoring mode: reporting
        writer.WriteUInt32(ClientHandle);
        writer.WriteDouble(SamplingInterval);
        var needsFilter = Deadband != DeadbandType.None || Trigger != DataChangeTrigger.StatusValue;
        writer.WriteExtensionObject(needsFilter
            ? ExtensionObject.FromBody(EncodingIds.DataChangeFilter, w =>
            {
                w.WriteUInt32((uint)Trigger);
                w.WriteUInt32((uint)Deadband);
                w.WriteDouble(DeadbandValue);
            })
            : null);
        writer.WriteUInt32(QueueSize);
        writer.WriteBoolean(true); // discard oldest
    }
}

/// <summary>The server's answer for one monitored item.</summary>
internal sealed record MonitoredItemCreateResult(uint StatusCode, uint MonitoredItemId, double SamplingInterval, uint QueueSize);

/// <summary>CreateMonitoredItems request (OPC 10000-4 §5.12.2).</summary>
internal sealed record CreateMonitoredItemsRequest(uint SubscriptionId, IReadOnlyList<MonitoredItemCreateRequest> Items) : IServiceRequest
{
    public uint EncodingId => 751;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteUInt32(SubscriptionId);
        writer.WriteUInt32((uint)TimestampsToReturn.Both);
        writer.WriteArray(Items, (w, i) => i.Encode(w));
    }
}

/// <summary>CreateMonitoredItems response: one result per item, in order.</summary>
internal sealed record CreateMonitoredItemsResponse(ResponseHeader Header, MonitoredItemCreateResult[] Results) : IServiceResponse<CreateMonitoredItemsResponse>
{
    public static uint EncodingId => 754;

    public static CreateMonitoredItemsResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadList(
            r =>
            {
                var result = new MonitoredItemCreateResult(r.ReadStatusCode(), r.ReadUInt32(), r.ReadDouble(), r.ReadUInt32());
                r.ReadExtensionObject(); // filter result
                return result;
            },
            23);
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return new CreateMonitoredItemsResponse(header, results);
    }
}

/// <summary>DeleteMonitoredItems request (OPC 10000-4 §5.12.6).</summary>
internal sealed record DeleteMonitoredItemsRequest(uint SubscriptionId, IReadOnlyList<uint> MonitoredItemIds) : IServiceRequest
{
    public uint EncodingId => 781;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteUInt32(SubscriptionId);
        writer.WriteArray(MonitoredItemIds, (w, id) => w.WriteUInt32(id));
    }
}

/// <summary>DeleteMonitoredItems response.</summary>
internal sealed record DeleteMonitoredItemsResponse(ResponseHeader Header, uint[] Results) : IServiceResponse<DeleteMonitoredItemsResponse>
{
    public static uint EncodingId => 784;

    public static DeleteMonitoredItemsResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadList(r => r.ReadStatusCode(), 4);
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return new DeleteMonitoredItemsResponse(header, results);
    }
}
