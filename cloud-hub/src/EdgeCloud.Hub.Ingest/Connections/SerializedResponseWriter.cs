using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;

namespace EdgeCloud.Hub.Ingest.Connections;

/// <summary>
/// The response stream of one agent, shared by the handler's acknowledgements and the push of commands and
/// desired config: gRPC stream writers allow one write at a time, so writes take turns here.
/// </summary>
internal sealed class SerializedResponseWriter(IServerStreamWriter<HubMessage> inner) : IServerStreamWriter<HubMessage>, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(HubMessage message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(HubMessage message, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(message, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();
}
