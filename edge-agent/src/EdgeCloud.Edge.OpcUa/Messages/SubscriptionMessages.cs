namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>CreateSubscription request (OPC 10000-4 §5.13.2).</summary>
internal sealed record CreateSubscriptionRequest(double PublishingInterval, uint LifetimeCount, uint MaxKeepAliveCount, uint MaxNotificationsPerPublish) : IServiceRequest
{
    public uint EncodingId => 787;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteDouble(PublishingInterval);
        writer.WriteUInt32(LifetimeCount);
        writer.WriteUInt32(MaxKeepAliveCount);
        writer.WriteUInt32(MaxNotificationsPerPublish);
        writer.WriteBoolean(true); // publishing enabled
        writer.WriteByte(0); // priority
    }
}

/// <summary>CreateSubscription response: the ids and the revised timing.</summary>
internal sealed record CreateSubscriptionResponse(ResponseHeader Header, uint SubscriptionId, double PublishingInterval, uint LifetimeCount, uint MaxKeepAliveCount)
    : IServiceResponse<CreateSubscriptionResponse>
{
    public static uint EncodingId => 790;

    public static CreateSubscriptionResponse Decode(UaBinaryReader reader, ResponseHeader header) =>
        new(header, reader.ReadUInt32(), reader.ReadDouble(), reader.ReadUInt32(), reader.ReadUInt32());
}

/// <summary>DeleteSubscriptions request (OPC 10000-4 §5.13.8).</summary>
internal sealed record DeleteSubscriptionsRequest(IReadOnlyList<uint> SubscriptionIds) : IServiceRequest
{
    public uint EncodingId => 847;

    public void EncodeBody(UaBinaryWriter writer) => writer.WriteArray(SubscriptionIds, (w, id) => w.WriteUInt32(id));
}

/// <summary>DeleteSubscriptions response.</summary>
internal sealed record DeleteSubscriptionsResponse(ResponseHeader Header, uint[] Results) : IServiceResponse<DeleteSubscriptionsResponse>
{
    public static uint EncodingId => 850;

    public static DeleteSubscriptionsResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadList(r => r.ReadStatusCode(), 4);
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return new DeleteSubscriptionsResponse(header, results);
    }
}
