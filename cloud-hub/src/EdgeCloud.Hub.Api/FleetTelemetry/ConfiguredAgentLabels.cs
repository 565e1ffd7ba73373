using Microsoft.Extensions.Configuration;

namespace EdgeCloud.Hub.Api.FleetTelemetry;

/// <summary>
/// Labels from the configuration section <c>AgentLabels</c>, one object per agent:
/// <c>"AgentLabels": { "press-01": { "site": "north" } }</c> (or <c>--AgentLabels:press-01:site=north</c>).
/// Read at each lookup, so a reloaded configuration applies at once.
/// </summary>
internal sealed class ConfiguredAgentLabels(IConfiguration configuration) : IAgentLabels
{
    public const string SectionName = "AgentLabels";

    public ValueTask<IReadOnlyDictionary<string, string>> GetLabelAsync(string key, CancellationToken cancellationToken = default)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var agent in configuration.GetSection(SectionName).GetChildren())
        {
            if (agent.GetSection(key).Value is { Length: > 0 } value)
            {
                labels[agent.Key] = value;
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(labels);
    }
}
