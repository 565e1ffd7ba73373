namespace EdgeCloud.Edge.Configuration;

/// <summary>How an OPC UA channel protects messages; the values match OPC 10000-4 §7.20.</summary>
public enum OpcUaSecurityMode
{
    /// <summary>No signature, no encryption.</summary>
    None = 1,

    /// <summary>Signed.</summary>
    Sign = 2,

    /// <summary>Signed and encrypted.</summary>
    SignAndEncrypt = 3,
}
