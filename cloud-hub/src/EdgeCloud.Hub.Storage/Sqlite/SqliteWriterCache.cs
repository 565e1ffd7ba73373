namespace EdgeCloud.Hub.Storage.Sqlite;

/// <summary>
/// What the single writer would otherwise read back from the database for every batch: each agent's highest
/// sequence and outbox epoch (and that its row exists), and each series' id (and that its catalog row exists).
/// It may only hold what is committed or written by the current transaction, so every change inside a batch's
/// savepoint is logged and undone when that savepoint rolls back, and everything is forgotten when a group's
/// transaction fails. Not thread-safe; used only under the store's write lock.
/// </summary>
internal sealed class SqliteWriterCache
{
    private readonly Dictionary<string, AgentState> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Agent, string Tag), long> _series = [];
    private readonly List<Action> _undo = [];

    /// <summary>The agent's cached state, or null when it must be read.</summary>
    public AgentState? Agent(string agentId) => _agents.TryGetValue(agentId, out var state) ? state : null;

    public void SetAgent(string agentId, AgentState state)
    {
        var had = _agents.TryGetValue(agentId, out var old);
        _agents[agentId] = state;
        _undo.Add(had ? () => _agents[agentId] = old! : () => _agents.Remove(agentId));
    }

    public bool TrySeries(string agentId, string tag, out long seriesId) => _series.TryGetValue((agentId, tag), out seriesId);

    public void AddSeries(string agentId, string tag, long seriesId)
    {
        _series[(agentId, tag)] = seriesId;
        _undo.Add(() => _series.Remove((agentId, tag)));
    }

    /// <summary>A batch's savepoint begins: what is logged from here is undone by <see cref="RollBack"/>.</summary>
    public void Begin() => _undo.Clear();

    /// <summary>The batch's savepoint rolled back: its changes to the cache go too, newest first.</summary>
    public void RollBack()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            _undo[i]();
        }

        _undo.Clear();
    }

    /// <summary>The group's transaction failed: nothing cached may be trusted.</summary>
    public void Clear()
    {
        _agents.Clear();
        _series.Clear();
        _undo.Clear();
    }

    /// <summary>An agent's row as this writer last saw or wrote it.</summary>
    public sealed record AgentState(long Highest, string Epoch);
}
