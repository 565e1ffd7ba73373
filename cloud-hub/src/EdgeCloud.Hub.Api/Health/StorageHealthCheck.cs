using EdgeCloud.Hub.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeCloud.Hub.Api.Health;

/// <summary>Healthy while the telemetry database answers a query.</summary>
internal sealed class StorageHealthCheck(ITelemetryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("the database answers");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", error);
        }
    }
}
