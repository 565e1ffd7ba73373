using Grpc.Core;

namespace EdgeCloud.Hub.Ingest;

/// <summary>
/// Ends a sync stream on purpose: the handler answers with a Refusal carrying <see cref="Exception.Message"/>
/// and <see cref="Retryable"/>, then fails the call with <see cref="StatusCode"/>.
/// </summary>
internal sealed class SessionRefusedException(StatusCode statusCode, string reason, bool retryable) : Exception(reason)
{
    public StatusCode StatusCode { get; } = statusCode;

    public bool Retryable { get; } = retryable;
}
