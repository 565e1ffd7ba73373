using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;

namespace EdgeCloud.Edge.Sync;

/// <summary>
/// The request stream of one session, shared by the batch sender and the health reporter:
/// gRPC stream writers allow one write at a time, so writes are serialized here.
/// </summary>
internal sealed class SessionWriter(IClientStreamWriter<SyncFrame> requests) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public Task WriteAsync(AgentMessage message, CancellationToken cancellationToken) =>
        WriteAsync(SyncFrame.Of(message), cancellationToken);

    public async Task WriteAsync(SyncFrame message, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await requests.WriteAsync(message, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
