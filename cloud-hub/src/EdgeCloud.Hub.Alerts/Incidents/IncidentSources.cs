namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>Where an incident came from, as the API spells it.</summary>
public static class IncidentSources
{
    /// <summary>An agent's alarm event (active opens, cleared resolves).</summary>
    public const string AgentAlarm = "agent-alarm";

    /// <summary>A hub rule (agent offline, backlog too deep, no data from a tag).</summary>
    public const string HubRule = "hub-rule";
}
