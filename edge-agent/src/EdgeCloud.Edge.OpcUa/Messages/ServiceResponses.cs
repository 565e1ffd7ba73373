using System.Globalization;

namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>Decodes a whole response body: type id, header, then the typed body; a ServiceFault or a bad service result throws.</summary>
internal static class ServiceResponses
{
    /// <summary>
    /// Decodes <paramref name="body"/> as <typeparamref name="TResponse"/>. Throws
    /// <see cref="UaStatusException"/> for a fault or bad result, <see cref="UaDecodeException"/>
    /// for anything malformed, and nothing else.
    /// </summary>
    public static TResponse Decode<TResponse>(byte[] body, UaEncodingLimits limits, string service, string endpoint)
        where TResponse : IServiceResponse<TResponse>
    {
        var reader = new UaBinaryReader(body, limits);
        var typeId = reader.ReadNodeId();
        var header = ResponseHeader.Decode(reader);
        var isFault = typeId is { NamespaceIndex: 0, IdType: NodeIdType.Numeric, Numeric: EncodingIds.ServiceFault };
        if (isFault || StatusCodes.IsBad(header.ServiceResult))
        {
            var code = isFault && !StatusCodes.IsBad(header.ServiceResult) ? StatusCodes.BadUnexpectedError : header.ServiceResult;
            throw new UaStatusException(code, $"{service} failed on {endpoint}");
        }

        if (typeId is not { NamespaceIndex: 0, IdType: NodeIdType.Numeric } || typeId.Numeric != TResponse.EncodingId)
        {
            throw new UaDecodeException(string.Create(CultureInfo.InvariantCulture, $"expected response type {TResponse.EncodingId} to {service}, got {typeId}"));
        }

        return TResponse.Decode(reader, header);
    }
}
