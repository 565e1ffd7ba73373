using EdgeCloud.Proto.Sync.V1;

namespace EdgeCloud.Edge.Sync;

/// <summary>
/// Rollout progress waiting for the hub link. Keeps only the newest report of each campaign (a later step
/// replaces "downloading 40 %"), so the queue is bounded by the number of campaigns; a report stays until a
/// session wrote it. Reports that must survive a restart (rolled back, committed) are kept by the update
/// component in its state file and published again at start.
/// </summary>
public sealed class RolloutReports
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RolloutProgress> _pending = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Queues <paramref name="progress"/>, replacing an unsent report of the same campaign.</summary>
    public void Publish(RolloutProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        TaskCompletionSource changed;
        lock (_lock)
        {
            _pending[progress.CampaignId] = progress;
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Every report waiting, oldest campaign first; they stay queued until <see cref="Sent"/>.</summary>
    public IReadOnlyList<RolloutProgress> Pending()
    {
        lock (_lock)
        {
            return [.. _pending.Values];
        }
    }

    /// <summary>Removes <paramref name="progress"/> unless a newer report of its campaign replaced it meanwhile.</summary>
    public void Sent(RolloutProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        lock (_lock)
        {
            if (_pending.TryGetValue(progress.CampaignId, out var current) && ReferenceEquals(current, progress))
            {
                _pending.Remove(progress.CampaignId);
            }
        }
    }

    /// <summary>Completes when something was published after this call.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }
}
