using EdgeCloud.Edge.Points;

namespace EdgeCloud.Edge.OpcUa.Hosting;

/// <summary>
/// Turns an OPC UA data value into a point: the value by its built-in type, the quality by the
/// status code's severity and reason, the status code itself in <see cref="DataPoint.StatusDetail"/>.
/// </summary>
internal static class UaPointMapper
{
    public static DataPoint ToPoint(string device, string tag, DataValue value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(value);
        var timestamp = value.SourceTimestamp is { } source && source > DateTime.MinValue ? new DateTimeOffset(source, TimeSpan.Zero)
            : value.ServerTimestamp is { } server && server > DateTime.MinValue ? new DateTimeOffset(server, TimeSpan.Zero)
            : now;
        var quality = Quality(value.Status);
        var tagValue = quality.IsBad() ? TagValue.None : ToTagValue(value.Value);
        return new DataPoint(device, tag, timestamp, tagValue, quality, value.Status);
    }

    /// <summary>A bad point for every tag while the server cannot be reached.</summary>
    public static DataPoint Unreachable(string device, string tag, DateTimeOffset now, uint status) =>
        new(device, tag, now, TagValue.None, Quality(status), status);

    public static TagValue ToTagValue(Variant variant)
    {
        if (variant.IsArray)
        {
            // Arrays travel as their text form ("[1, 2, 3]"): a tag is one value.
            return TagValue.FromText(variant.ToString());
        }

        return variant.Value switch
        {
            null => TagValue.None,
            bool b => TagValue.FromFlag(b),
            double d => TagValue.FromNumber(d),
            float f => TagValue.FromNumber(f),
            sbyte or byte or short or ushort or int or uint or long => TagValue.FromInteger(Convert.ToInt64(variant.Value, System.Globalization.CultureInfo.InvariantCulture)),
            ulong u => u <= long.MaxValue ? TagValue.FromInteger((long)u) : TagValue.FromNumber(u),
            string s => TagValue.FromText(s),
            _ => TagValue.FromText(variant.ToString()),
        };
    }

    /// <summary>Maps a status code to a quality; the reasons an installer must tell apart get their own.</summary>
    public static PointQuality Quality(uint status)
    {
        if (StatusCodes.IsGood(status))
        {
            return PointQuality.Good;
        }

        if (StatusCodes.IsUncertain(status))
        {
            return PointQuality.Uncertain;
        }

        return (status & 0xFFFF0000) switch
        {
            StatusCodes.BadNotConnected or StatusCodes.BadServerNotConnected or StatusCodes.BadWaitingForInitialData
                or StatusCodes.BadSecureChannelClosed or StatusCodes.BadConnectionClosed => PointQuality.BadNotConnected,
            StatusCodes.BadCommunicationError or StatusCodes.BadNoCommunication => PointQuality.BadCommunication,
            StatusCodes.BadTimeout or StatusCodes.BadRequestTimeout => PointQuality.BadTimeout,
            StatusCodes.BadDeviceFailure or StatusCodes.BadSensorFailure or StatusCodes.BadOutOfService => PointQuality.BadDeviceException,
            StatusCodes.BadNodeIdUnknown or StatusCodes.BadNodeIdInvalid or StatusCodes.BadAttributeIdInvalid or StatusCodes.BadNotReadable
                or StatusCodes.BadTypeMismatch or StatusCodes.BadConfigurationError or StatusCodes.BadNoMatch
                or StatusCodes.BadUserAccessDenied or StatusCodes.BadBrowseNameInvalid => PointQuality.BadConfiguration,
            _ => PointQuality.Bad,
        };
    }
}
