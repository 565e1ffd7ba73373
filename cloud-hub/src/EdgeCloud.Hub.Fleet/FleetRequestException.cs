namespace EdgeCloud.Hub.Fleet;

/// <summary>A refused fleet request: becomes a problem-details answer with <see cref="StatusCode"/>, <see cref="Title"/> and the message as detail.</summary>
internal sealed class FleetRequestException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}
