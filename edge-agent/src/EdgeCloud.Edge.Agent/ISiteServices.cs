namespace EdgeCloud.Edge.Agent;

/// <summary>
/// The services of the site in force. A live config change swaps the whole site (its devices, rules and
/// alarms) for a new one, so a part of the agent that acts on the site asks here at each use and never keeps
/// what it got. Registered by the site supervisor's hosting; <see cref="Current"/> is null until a site runs.
/// </summary>
internal interface ISiteServices
{
    /// <summary>The running site's service provider, or null when no site runs (yet, or between two).</summary>
    IServiceProvider? Current { get; }
}
