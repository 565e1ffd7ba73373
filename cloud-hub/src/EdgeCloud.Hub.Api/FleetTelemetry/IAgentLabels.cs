namespace EdgeCloud.Hub.Api.FleetTelemetry;

/// <summary>
/// Where fleet queries learn agents' labels (site, line, tenant...). The seam for the fleet registry: the
/// default reads them from configuration (<see cref="ConfiguredAgentLabels"/>); a registry replaces it by
/// registering its own implementation before the API is added. Lookups are by agent id only, so storage
/// never needs to know about labels.
/// </summary>
public interface IAgentLabels
{
    /// <summary>The value of label <paramref name="key"/> per agent that has it (agent id to value).</summary>
    ValueTask<IReadOnlyDictionary<string, string>> GetLabelAsync(string key, CancellationToken cancellationToken = default);
}
