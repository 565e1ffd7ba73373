namespace EdgeCloud.Hub.Dashboard;

/// <summary>One dashboard file: its bytes, content type and ETag.</summary>
internal sealed record DashboardAsset(byte[] Content, string ContentType, string ETag);
