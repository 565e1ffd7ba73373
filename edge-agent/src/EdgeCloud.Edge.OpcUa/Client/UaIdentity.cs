namespace EdgeCloud.Edge.OpcUa.Client;

/// <summary>
/// Who the session acts as: anonymous, or a user name and password. The password is only ever
/// sent encrypted with the server certificate (OPC 10000-4 §7.41.3), whatever the channel's policy.
/// </summary>
internal sealed record UaIdentity(string? UserName, string? Password)
{
    public static UaIdentity Anonymous { get; } = new(null, null);

    public bool IsAnonymous => UserName is null;

    public override string ToString() => IsAnonymous ? "anonymous" : $"user '{UserName}'";
}
