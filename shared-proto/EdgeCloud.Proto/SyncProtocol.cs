namespace EdgeCloud.Proto;

/// <summary>Constants both sides of the sync contract agree on.</summary>
public static class SyncProtocol
{
    /// <summary>Contract version spoken by this build. Bump only for a change old peers cannot ignore.</summary>
    public const uint Version = 1;
}
