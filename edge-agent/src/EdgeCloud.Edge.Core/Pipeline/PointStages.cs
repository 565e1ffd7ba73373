namespace EdgeCloud.Edge.Pipeline;

/// <summary>
/// The stages the batcher runs, in order: the running site's stages (rules, models, MQTT publish),
/// then the agent's own (the live lane), which stay when the site is replaced. A live config change
/// swaps the site part with <see cref="Replace"/>; the batcher holds <see cref="Enter"/> while it
/// shows points to the stages, so a swap waits for the point in progress and a stopped site never
/// sees another point.
/// </summary>
public sealed class PointStages
{
    private readonly IPointStage[] _tail;
    private readonly Lock _lock = new();
    private IPointStage[] _current;

    /// <summary>Creates the list with the agent's own stages, which run after any site's.</summary>
    public PointStages(IEnumerable<IPointStage> agentStages)
    {
        _tail = [.. agentStages];
        _current = _tail;
    }

    /// <summary>Takes the stages for a run of points; dispose the scope when the run ends (never across an await).</summary>
    public Lock.Scope Enter(out IPointStage[] current)
    {
        var scope = _lock.EnterScope();
        current = _current;
        return scope;
    }

    /// <summary>Puts <paramref name="siteStages"/> in front of the agent's own stages (empty: none of a site's).</summary>
    public void Replace(IEnumerable<IPointStage> siteStages)
    {
        IPointStage[] next = [.. siteStages, .. _tail];
        using (_lock.EnterScope())
        {
            _current = next;
        }
    }
}
