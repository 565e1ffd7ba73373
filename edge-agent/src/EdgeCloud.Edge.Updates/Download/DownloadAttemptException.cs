namespace EdgeCloud.Edge.Updates.Download;

/// <summary>One download attempt ended early; the next attempt resumes at the last verified chunk.</summary>
internal sealed class DownloadAttemptException(string reason, string message) : Exception(message)
{
    /// <summary>download_stalled or download_failed: what the download fails with when no attempt is left.</summary>
    public string Reason { get; } = reason;
}
