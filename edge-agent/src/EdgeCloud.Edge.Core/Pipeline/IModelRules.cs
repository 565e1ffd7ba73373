using EdgeCloud.Edge.Configuration;

namespace EdgeCloud.Edge.Pipeline;

/// <summary>
/// Rules that come and go with a model (the <c>alarm</c> of a manifest output): the models
/// component installs a model's rules when it loads or replaces it, and an empty list when it
/// unloads it. Implemented by the rules component, which runs them with the site's rules and
/// raises their alarms through the same alarm manager. Thread-safe; never blocks on I/O.
/// </summary>
public interface IModelRules
{
    /// <summary>Replaces the rules of <paramref name="model"/> (none: remove them; their open alarms are cleared).</summary>
    void Install(string model, IReadOnlyList<RuleConfig> rules);
}
