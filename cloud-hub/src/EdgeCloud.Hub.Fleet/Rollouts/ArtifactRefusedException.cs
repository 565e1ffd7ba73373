namespace EdgeCloud.Hub.Fleet.Rollouts;

/// <summary>
/// An upload the hub refuses: becomes a problem-details answer with <see cref="StatusCode"/> whose
/// <c>reason</c> member is one of <c>bad_signature</c>, <c>unknown_key</c>, <c>missing_signature</c>,
/// <c>bad_version</c>, <c>unknown_kind</c>, <c>bad_name</c>, <c>empty</c>, <c>too_large</c>.
/// </summary>
internal sealed class ArtifactRefusedException(string reason, string detail, int statusCode = 400) : Exception(detail)
{
    public string Reason { get; } = reason;

    public int StatusCode { get; } = statusCode;
}
