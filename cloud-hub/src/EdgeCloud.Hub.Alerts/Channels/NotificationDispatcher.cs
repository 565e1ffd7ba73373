using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using EdgeCloud.Hub.Alerts.Incidents;
using EdgeCloud.Hub.Alerts.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>
/// Delivers notifications off every caller's path. Each channel has its own bounded queue (capacity
/// <see cref="AlertsOptions.ChannelQueueCapacity"/>, overflow policy drop-oldest, counted) and its own sender
/// loop, so a webhook that stalls or fails holds up only its own later messages: never ingest, the incident
/// changes that enqueue (<see cref="Enqueue"/> does not wait), nor other channels. Each attempt has a time limit;
/// failures are retried with exponential backoff and jitter; an address the SSRF policy refuses is not retried.
/// </summary>
internal sealed partial class NotificationDispatcher(
    RuleBook rules, WebhookSender webhooks, MailSender mail, AlertsMetrics metrics, IOptions<AlertsOptions> options, TimeProvider time, ILogger<NotificationDispatcher> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<(string Tenant, string Channel), Lazy<ChannelWriter<Notification>>> _queues = new();
    private readonly ConcurrentBag<Task> _senders = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Queues <paramref name="notification"/> for its channel and returns at once.</summary>
    public void Enqueue(Notification notification)
    {
        var queue = _queues.GetOrAdd((notification.Tenant, notification.ChannelId), key => new Lazy<ChannelWriter<Notification>>(() => Start(key)));
        queue.Value.TryWrite(notification);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the sender loops end with the same token.
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_senders);
    }

    private ChannelWriter<Notification> Start((string Tenant, string Channel) key)
    {
        var queue = Channel.CreateBounded<Notification>(
            new BoundedChannelOptions(options.Value.ChannelQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                metrics.Dropped();
                LogDropped(logger, dropped.Tenant, dropped.ChannelId, dropped.Incident.Id);
            });
        _senders.Add(SendLoopAsync(queue.Reader, _stopping.Token));
        return queue.Writer;
    }

    private async Task SendLoopAsync(ChannelReader<Notification> queue, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notification in queue.ReadAllAsync(cancellationToken))
            {
                await DeliverAsync(notification, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is lost with the process (notifications are best effort; the incidents are stored).
        }
    }

    private async Task DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var channel = await rules.ChannelAsync(notification.Tenant, notification.ChannelId, cancellationToken);
        if (channel is null)
        {
            LogUnknownChannel(logger, notification.Tenant, notification.ChannelId);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(settings.DeliveryTimeout);
            try
            {
                await SendAsync(channel, notification, limit.Token);
                metrics.Delivered(channel.Kind);
                return;
            }
            catch (WebhookRefusedException refused)
            {
                metrics.Failed(channel.Kind);
                LogRefused(logger, channel.Tenant, channel.Id, refused.Message);
                return;
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= settings.DeliveryAttempts)
                {
                    metrics.Failed(channel.Kind);
                    LogGaveUp(logger, error, channel.Tenant, channel.Id, notification.Incident.Id, attempt);
                    return;
                }

                var backoff = settings.RetryDelay * Math.Pow(2, attempt - 1) * (0.8 + (0.4 * Random.Shared.NextDouble()));
                LogRetrying(logger, channel.Tenant, channel.Id, attempt, error.Message, backoff);
                await Task.Delay(backoff, time, cancellationToken);
            }
        }
    }

    private Task SendAsync(NotificationChannel channel, Notification notification, CancellationToken cancellationToken)
    {
        var view = IncidentView.From(notification.Incident);
        if (channel.Kind == ChannelKinds.Webhook)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new { @event = notification.Event, incident = view }, RuleBook.Json);
            return webhooks.SendAsync(channel.Url!, channel.Secret!, body, cancellationToken);
        }

        var subject = $"[EdgeCloud] {notification.Event} #{view.Id} {view.AgentId}: {view.Message}";
        var text = $"""
            {notification.Event}: incident {view.Id} (level {view.Level}, state {view.State}, severity {view.Severity})
            agent:   {view.AgentId}
            source:  {view.Source} {view.Rule}
            tag:     {view.Tag}
            message: {view.Message}
            opened:  {view.OpenedAt}
            """;
        return mail.SendAsync(channel.To, subject, text, cancellationToken);
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "Notification for incident {IncidentId} to channel {Tenant}/{Channel} dropped: the channel's queue is full")]
    private static partial void LogDropped(ILogger logger, string tenant, string channel, long incidentId);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Channel {Tenant}/{Channel} no longer exists; notification skipped")]
    private static partial void LogUnknownChannel(ILogger logger, string tenant, string channel);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Webhook of channel {Tenant}/{Channel} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string tenant, string channel, string reason);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Error, Message = "Channel {Tenant}/{Channel} did not take incident {IncidentId} after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, Exception error, string tenant, string channel, long incidentId, int attempts);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Information, Message = "Channel {Tenant}/{Channel} attempt {Attempt} failed ({Reason}); retrying in {Backoff}")]
    private static partial void LogRetrying(ILogger logger, string tenant, string channel, int attempt, string reason, TimeSpan backoff);
}
