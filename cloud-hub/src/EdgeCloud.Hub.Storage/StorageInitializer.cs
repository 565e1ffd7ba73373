using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Hub.Storage;

/// <summary>
/// Resolves the store while the host starts, so that a database that cannot be opened or migrated stops
/// the hub at start instead of failing the first agent that connects.
/// </summary>
internal sealed class StorageInitializer(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ITelemetryStore>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
