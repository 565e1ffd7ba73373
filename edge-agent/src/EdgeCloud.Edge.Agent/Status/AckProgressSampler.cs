using EdgeCloud.Edge.Outbox;
using Microsoft.Extensions.Hosting;

namespace EdgeCloud.Edge.Agent.Status;

/// <summary>Samples the outbox's acknowledged sequence once a second into <see cref="AckProgress"/>.</summary>
internal sealed class AckProgressSampler(IOutbox outbox, AckProgress progress, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            progress.Add(time.GetUtcNow(), outbox.LastAcknowledgedSequence);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
