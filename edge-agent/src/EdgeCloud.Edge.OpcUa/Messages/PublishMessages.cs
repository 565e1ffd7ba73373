namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>One value change of one monitored item, by the client handle we gave it.</summary>
internal readonly record struct MonitoredItemNotification(uint ClientHandle, DataValue Value);

/// <summary>
/// A NotificationMessage (OPC 10000-4 §7.24): a sequence number, a publish time and the
/// notifications. A keep-alive has no notifications and carries the next sequence number.
/// </summary>
internal sealed record NotificationMessage(uint SequenceNumber, DateTime PublishTime, MonitoredItemNotification[] DataChanges, uint? StatusChange, bool HasData)
{
    public static NotificationMessage Decode(UaBinaryReader reader)
    {
        var sequence = reader.ReadUInt32();
        var time = reader.ReadDateTime();
        var data = reader.ReadList(r => r.ReadExtensionObject(), 2);
        var changes = new List<MonitoredItemNotification>();
        uint? status = null;
        foreach (var item in data)
        {
            if (item.Is(EncodingIds.DataChangeNotification))
            {
                var body = new UaBinaryReader(item.Body!, reader.Limits);
                changes.AddRange(body.ReadList(r => new MonitoredItemNotification(r.ReadUInt32(), r.ReadDataValue()), 5));
            }
            else if (item.Is(EncodingIds.StatusChangeNotification))
            {
                status = new UaBinaryReader(item.Body!, reader.Limits).ReadStatusCode();
            }

            // Event notifications (916) are not subscribed to by this client: ignored.
        }

        return new NotificationMessage(sequence, time, [.. changes], status, data.Length > 0);
    }
}

/// <summary>A sequence number to acknowledge in the next Publish.</summary>
internal readonly record struct SubscriptionAcknowledgement(uint SubscriptionId, uint SequenceNumber);

/// <summary>Publish request (OPC 10000-4 §5.13.5): acknowledgements of what was received.</summary>
internal sealed record PublishRequest(IReadOnlyList<SubscriptionAcknowledgement> Acknowledgements) : IServiceRequest
{
    public uint EncodingId => 826;

    public void EncodeBody(UaBinaryWriter writer) =>
        writer.WriteArray(Acknowledgements, (w, a) =>
        {
            w.WriteUInt32(a.SubscriptionId);
            w.WriteUInt32(a.SequenceNumber);
        });
}

/// <summary>Publish response.</summary>
internal sealed record PublishResponse(ResponseHeader Header, uint SubscriptionId, uint[] AvailableSequenceNumbers, bool MoreNotifications, NotificationMessage Message, uint[] AckResults)
    : IServiceResponse<PublishResponse>
{
    public static uint EncodingId => 829;

    public static PublishResponse Decode(UaBinaryReader reader, ResponseHeader header)
    {
        var id = reader.ReadUInt32();
        var available = reader.ReadList(r => r.ReadUInt32(), 4);
        var more = reader.ReadBoolean();
        var message = NotificationMessage.Decode(reader);
        var results = reader.ReadList(r => r.ReadStatusCode(), 4);
        reader.ReadArray(r => r.ReadDiagnosticInfo());
        return new PublishResponse(header, id, available, more, message, results);
    }
}

/// <summary>Republish request (OPC 10000-4 §5.13.6): one missed notification message again.</summary>
internal sealed record RepublishRequest(uint SubscriptionId, uint SequenceNumber) : IServiceRequest
{
    public uint EncodingId => 832;

    public void EncodeBody(UaBinaryWriter writer)
    {
        writer.WriteUInt32(SubscriptionId);
        writer.WriteUInt32(SequenceNumber);
    }
}

/// <summary>Republish response.</summary>
internal sealed record RepublishResponse(ResponseHeader Header, NotificationMessage Message) : IServiceResponse<RepublishResponse>
{
    public static uint EncodingId => 835;

    public static RepublishResponse Decode(UaBinaryReader reader, ResponseHeader header) => new(header, NotificationMessage.Decode(reader));
}
