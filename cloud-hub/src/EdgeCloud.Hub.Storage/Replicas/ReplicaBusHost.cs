using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Hub.Storage.Replicas;

/// <summary>Starts and stops the replica bus's listening loop with the host, when the bus has one (PostgreSQL).</summary>
internal sealed class ReplicaBusHost(IReplicaBus bus) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        bus is IHostedService loop ? loop.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        bus is IHostedService loop ? loop.StopAsync(cancellationToken) : Task.CompletedTask;
}
