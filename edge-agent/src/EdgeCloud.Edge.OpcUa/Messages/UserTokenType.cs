namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>The kinds of user identity token (OPC 10000-4 §7.42).</summary>
internal enum UserTokenType : uint
{
    Anonymous = 0,
    UserName = 1,
    Certificate = 2,
    IssuedToken = 3,
}
