namespace EdgeCloud.Hub.Fleet;

/// <summary>How the hub authenticates agents and API callers.</summary>
public enum FleetSecurityMode
{
    /// <summary>
    /// The production mode and the default: the sync endpoint serves TLS with the hub's server certificate and
    /// requires a client certificate issued by the hub's CA (the agent id comes from it); every API route
    /// needs an API key or a JWT bearer token.
    /// </summary>
    Mtls,

    /// <summary>
    /// For a developer's machine and the existing cleartext tests only: cleartext sync without client
    /// certificates (any agent id is believed), and API callers without credentials act as an admin of the
    /// default tenant. The hub logs a warning at start.
    /// </summary>
    InsecureDevelopment,
}
