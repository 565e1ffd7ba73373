using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Edge.Agent.Hosting.Site;

/// <summary>
/// How a site config pushed by the hub is watched after it went into force (section <c>LiveConfig</c>, e.g.
/// <c>--LiveConfig:GraceSeconds=60</c> on the command line or <c>LiveConfig__GraceSeconds=60</c> in the unit's environment).
/// </summary>
public sealed class LiveConfigOptions
{
    /// <summary>
    /// Seconds after a change during which the agent goes back to the previous config by itself when data
    /// stops flowing or the hub link breaks. Default 120.
    /// </summary>
    [Range(2, 86_400)]
    public int GraceSeconds { get; set; } = 120;

    /// <summary>
    /// Seconds the hub link may stay down, after a change made while it was up, before the change counts as
    /// having broken it. Default 60; the watch runs past the grace period while a loss that began inside it lasts.
    /// </summary>
    [Range(1, 86_400)]
    public int LinkLossSeconds { get; set; } = 60;

    /// <summary>Starts inside the grace period after which the change counts as crashing the agent and is reverted at once. Default 3.</summary>
    [Range(1, 100)]
    public int MaxStartsInGrace { get; set; } = 3;

    /// <summary><see cref="GraceSeconds"/> as a span.</summary>
    public TimeSpan Grace => TimeSpan.FromSeconds(GraceSeconds);

    /// <summary><see cref="LinkLossSeconds"/> as a span.</summary>
    public TimeSpan LinkLoss => TimeSpan.FromSeconds(LinkLossSeconds);
}
