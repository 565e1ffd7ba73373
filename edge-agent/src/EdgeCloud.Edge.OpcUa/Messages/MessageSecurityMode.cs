namespace EdgeCloud.Edge.OpcUa.Messages;

/// <summary>How a secure channel protects messages (OPC 10000-4 §7.20).</summary>
internal enum MessageSecurityMode : uint
{
    Invalid = 0,
    None = 1,
    Sign = 2,
    SignAndEncrypt = 3,
}
