namespace EdgeCloud.Hub.Alerts.Incidents;

/// <summary>
/// Wakes the event streams of this replica when an incident changed here, so they need not wait for their
/// next poll; changes made by other replicas are found by that poll (the store's revision feed).
/// </summary>
internal sealed class IncidentChanges
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Something changed: wake every waiter.</summary>
    public void Signal() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Signal"/> or after <paramref name="atMost"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan atMost, TimeProvider time, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(next, Task.Delay(atMost, time, delay.Token));
        await delay.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
