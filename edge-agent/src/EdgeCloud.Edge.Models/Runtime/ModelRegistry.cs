using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeCloud.Edge.Pipeline;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Models.Runtime;

/// <summary>
/// The models in force. <see cref="Install"/> takes a model that is already loaded and validated,
/// so a swap is one reference write (<see cref="Current"/>); the replaced model is retired, never
/// disposed here: the runner loop finishes its queued samples and disposes it between two runs.
/// When the successor feeds the same samples, it inherits the input windows and queue, so not a
/// point is lost or seen twice across the swap. The alarms a primary model puts on its outputs go
/// to the rule engine (<see cref="IModelRules"/>) with each install and removal.
/// </summary>
internal sealed class ModelRegistry : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ModelSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelInputState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _shadowStatus = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RetiredModel> _retired = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly int _queueCapacity;
    private readonly ILogger _logger;
    private readonly IModelRules? _rules;
    private ModelSet _current = ModelSet.Empty;

    public ModelRegistry(ModelsOptions options, ILogger<ModelRegistry> logger, IModelRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queueCapacity = options.QueueCapacity;
        _logger = logger;
        _rules = rules;
    }

    /// <summary>The models in force now.</summary>
    public ModelSet Current => Volatile.Read(ref _current);

    /// <summary>Signalled when an on-change model has samples or the set changed.</summary>
    public ChannelReader<bool> Wakeups => _wake.Reader;

    /// <summary>The installed model of that name (primary or shadow), if any.</summary>
    public ModelSession? Find(string name)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(name);
        }
    }

    /// <summary>Puts a loaded model in force, replacing the one of the same name; true when the input windows were kept.</summary>
    public bool Install(ModelSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        bool kept;
        lock (_gate)
        {
            var name = session.Name;
            _sessions.TryGetValue(name, out var old);
            _states.TryGetValue(name, out var state);
            kept = state is not null && old is not null && session.Manifest.ShadowOf is null && ModelInputState.SameSamples(old.Manifest, session.Manifest);
            ModelInputState? closed = null;
            if (!kept)
            {
                closed = state;
                _states.Remove(name);
                if (session.Manifest.ShadowOf is null)
                {
                    _states[name] = new ModelInputState(session.Manifest, _queueCapacity, Wake);
                }
            }

            _sessions[name] = session;
            Publish();

            // Close after publishing: a stage that finds the old state closed looks up the new
            // routes, which are already in place.
            closed?.Close();
            if (old is not null)
            {
                _retired.Enqueue(new RetiredModel(old, closed));
            }
        }

        if (session.Manifest.ShadowOf is null)
        {
            _rules?.Install(session.Name, [.. session.Manifest.Outputs.Where(o => o.Alarm is not null).Select(o => o.Alarm!)]);
        }

        Wake();
        return kept;
    }

    /// <summary>Takes the named model out of force; false when there was none.</summary>
    public bool Remove(string name)
    {
        lock (_gate)
        {
            if (!_sessions.Remove(name, out var old))
            {
                return false;
            }

            _states.Remove(name, out var state);
            Publish();
            state?.Close();
            _retired.Enqueue(new RetiredModel(old, state));
        }

        _rules?.Install(name, []);
        Wake();
        return true;
    }

    /// <summary>The next retired model for the runner to finish and dispose.</summary>
    public bool TryTakeRetired(out RetiredModel retired) => _retired.TryDequeue(out retired!);

    /// <summary>Wakes the runner loop; never blocks.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Disposes every model (at shutdown, after the runner stopped).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            while (_retired.TryDequeue(out var retired))
            {
                retired.Session.Dispose();
            }

            foreach (var session in _sessions.Values)
            {
                session.Dispose();
            }

            _sessions.Clear();
            _states.Clear();
            Volatile.Write(ref _current, ModelSet.Empty);
        }
    }

    private void Publish()
    {
        var models = new List<ActiveModel>();
        foreach (var (name, state) in _states)
        {
            var primary = _sessions[name];
            var shadows = new List<ShadowModel>();
            foreach (var candidate in _sessions.Values.Where(s => s.Manifest.ShadowOf == name))
            {
                if (ShadowPairing.TryPair(primary, candidate, out var shadow, out var reason))
                {
                    shadows.Add(shadow);
                    Report(candidate.Name, "attached " + shadow.Device + "/" + shadow.Tag, () => Log.ShadowAttached(_logger, candidate.Name, name, shadow.Device + "/" + shadow.Tag));
                }
                else
                {
                    Report(candidate.Name, reason, () => Log.ShadowIdle(_logger, candidate.Name, reason));
                }
            }

            models.Add(new ActiveModel(primary, state, shadows));
        }

        foreach (var orphan in _sessions.Values.Where(s => s.Manifest.ShadowOf is { } p && !_states.ContainsKey(p)))
        {
            var reason = $"no model '{orphan.Manifest.ShadowOf}' is loaded to run beside ({orphan.Manifest.SourcePath}: $.shadowOf)";
            Report(orphan.Name, reason, () => Log.ShadowIdle(_logger, orphan.Name, reason));
        }

        Volatile.Write(ref _current, new ModelSet(models));
    }

    /// <summary>Logs a shadow's status once per change, not on every publish.</summary>
    private void Report(string shadow, string status, Action log)
    {
        if (_shadowStatus.GetValueOrDefault(shadow) != status)
        {
            _shadowStatus[shadow] = status;
            log();
        }
    }
}
