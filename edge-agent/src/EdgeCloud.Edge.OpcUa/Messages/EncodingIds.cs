namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>DefaultBinary encoding node ids of namespace 0 (OPC 10000-6 Annex A, NodeIds.csv) that are not a request or response.</summary>
internal static class EncodingIds
{
    public const uint ServiceFault = 397;
    public const uint AnonymousIdentityToken = 321;
    public const uint UserNameIdentityToken = 324;
    public const uint DataChangeFilter = 724;
    public const uint DataChangeNotification = 811;
    public const uint StatusChangeNotification = 820;
    public const uint EventNotificationList = 916;
}
