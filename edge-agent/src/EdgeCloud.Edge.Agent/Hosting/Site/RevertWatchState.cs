namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// A site config change still inside its grace period, as kept on disk (<c>site-config/watch.json</c>) so
/// that the watch survives a restart: what to go back to, and what the previous config delivered.
/// </summary>
/// <param name="Version">The version that went into force.</param>
/// <param name="ChangedAt">When it went into force.</param>
/// <param name="PreviousVersion">The version it replaced (<see cref="SiteSupervisor.LocalVersion"/>: the local agent.json).</param>
/// <param name="PreviousJson">The replaced site config as the hub sent it; null for the local one.</param>
/// <param name="PreviousDelivering">Devices that delivered good points under the replaced config.</param>
/// <param name="LinkWasUp">The hub link was up when the change came (only then can the change have broken it).</param>
/// <param name="Starts">Agent starts with this change in force (a change that crashes the agent is reverted after a few).</param>
internal sealed record RevertWatchState(
    string Version,
    DateTimeOffset ChangedAt,
    string PreviousVersion,
    string? PreviousJson,
    IReadOnlyList<string> PreviousDelivering,
    bool LinkWasUp,
    int Starts);
