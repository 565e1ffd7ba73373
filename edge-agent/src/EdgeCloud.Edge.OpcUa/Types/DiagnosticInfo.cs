namespace EdgeCloud.Edge.OpcUa.Types;

/// <summary>Vendor diagnostics attached to a result (OPC 10000-6 §5.2.2.12); kept for logs only.</summary>
internal sealed record DiagnosticInfo(string? AdditionalInfo, uint InnerStatusCode, DiagnosticInfo? Inner);
