using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>
/// The OPC UA status codes this client names (values from OPC 10000-6 Annex A, StatusCode.csv).
/// The top two bits give the severity: 00 good, 01 uncertain, 10 bad.
/// </summary>
internal static class StatusCodes
{
    public const uint Good = 0x00000000;

    public const uint UncertainLastUsableValue = 0x40900000;

    public const uint BadUnexpectedError = 0x80010000;

    public const uint BadInternalError = 0x80020000;

    public const uint BadDecodingError = 0x80070000;

    public const uint BadEncodingLimitsExceeded = 0x80080000;

    public const uint BadTimeout = 0x800A0000;

    public const uint BadCommunicationError = 0x80050000;

    public const uint BadConnectionClosed = 0x80AE0000;

    public const uint BadSessionIdInvalid = 0x80250000;

    public const uint BadSessionClosed = 0x80260000;

    public const uint BadSessionNotActivated = 0x80270000;

    public const uint BadSubscriptionIdInvalid = 0x80280000;

    public const uint BadNoSubscription = 0x80790000;

    public const uint BadTooManyPublishRequests = 0x80780000;

    public const uint BadMessageNotAvailable = 0x807B0000;

    public const uint BadSequenceNumberUnknown = 0x807A0000;

    public const uint BadNodeIdUnknown = 0x80340000;

    public const uint BadNodeIdInvalid = 0x80330000;

    public const uint BadTcpMessageTooLarge = 0x80800000;

    public const uint BadTcpMessageTypeInvalid = 0x807E0000;

    public const uint BadTcpEndpointUrlInvalid = 0x80830000;

    public const uint BadRequestTooLarge = 0x80B80000;

    public const uint BadResponseTooLarge = 0x80B90000;

    public const uint BadSecurityChecksFailed = 0x80130000;

    public const uint BadCertificateUntrusted = 0x801A0000;

    public const uint BadCertificateTimeInvalid = 0x80140000;

    public const uint BadCertificateHostNameInvalid = 0x80160000;

    public const uint BadCertificateInvalid = 0x80120000;

    public const uint BadSecurityPolicyRejected = 0x80550000;

    public const uint BadIdentityTokenRejected = 0x80210000;

    public const uint BadIdentityTokenInvalid = 0x80200000;

    public const uint BadUserAccessDenied = 0x801F0000;

    public const uint BadServerNotConnected = 0x800D0000;

    public const uint BadWaitingForInitialData = 0x80320000;

    public const uint BadOutOfService = 0x808D0000;

    public const uint BadNotConnected = 0x808A0000;

    public const uint BadDeviceFailure = 0x808B0000;

    public const uint BadSensorFailure = 0x808C0000;

    public const uint BadConfigurationError = 0x80890000;

    public const uint BadNoCommunication = 0x80310000;

    public const uint BadTypeMismatch = 0x80740000;

    public const uint BadNotWritable = 0x803B0000;

    public const uint BadNotReadable = 0x803A0000;

    public const uint BadShutdown = 0x800C0000;

    public const uint BadServerHalted = 0x800E0000;

    public const uint BadSecureChannelClosed = 0x80860000;

    public const uint BadSecureChannelIdInvalid = 0x80220000;

    public const uint BadSecureChannelTokenUnknown = 0x80870000;

    public const uint BadSequenceNumberInvalid = 0x80880000;

    public const uint BadTooManyOperations = 0x80100000;

    public const uint BadServiceUnsupported = 0x800B0000;

    public const uint BadNothingToDo = 0x800F0000;

    public const uint BadNonceInvalid = 0x80240000;

    public const uint BadUnknownResponse = 0x80090000;

    public const uint BadDataEncodingUnsupported = 0x80390000;

    public const uint BadInvalidArgument = 0x80AB0000;

    public const uint BadNoData = 0x809B0000;

    public const uint BadMonitoredItemIdInvalid = 0x80420000;

    public const uint BadBrowseNameInvalid = 0x80600000;

    public const uint BadNoMatch = 0x806F0000;

    public const uint BadContinuationPointInvalid = 0x804A0000;

    public const uint BadAttributeIdInvalid = 0x80350000;

    public const uint BadRequestTimeout = 0x80850000;

    public const uint BadResourceUnavailable = 0x80040000;

    private static readonly FrozenDictionary<uint, string> Names = typeof(StatusCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(uint))
        .ToFrozenDictionary(f => (uint)f.GetRawConstantValue()!, f => f.Name);

    /// <summary>True when the severity bits say good.</summary>
    public static bool IsGood(uint code) => (code & 0xC0000000) == 0;

    /// <summary>True when the severity bits say uncertain.</summary>
    public static bool IsUncertain(uint code) => (code & 0xC0000000) == 0x40000000;

    /// <summary>True when the severity bits say bad.</summary>
    public static bool IsBad(uint code) => (code & 0x80000000) != 0;

    /// <summary>The symbolic name when known (ignoring the info bits), else the hex value.</summary>
    public static string Name(uint code) =>
        Names.TryGetValue(code & 0xFFFF0000, out var name) ? name : "0x" + code.ToString("X8", CultureInfo.InvariantCulture);
}
