using EdgeCloud.Edge.OpcUa.Client;

namespace EdgeCloud.Edge.OpcUa.Subscriptions;

/// <summary>The Publish loop: acknowledgements, gap detection and Republish, and the per-item watchdog.</summary>
internal sealed partial class UaSubscription
{
    /// <summary>How far back a gap is filled; older misses are counted lost.</summary>
    private const int MaxRepublish = 100;

    /// <summary>
    /// Keeps Publish requests outstanding and hands each data change to <paramref name="onData"/>
    /// (item index in spec order, value) until cancelled. Returns only by exception: a channel or
    /// session failure (<see cref="UaStatusException"/>), for the owner to reconnect.
    /// </summary>
    public async Task RunAsync(UaSession session, Func<IReadOnlyList<(int Item, DataValue Value)>, ValueTask> onData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(onData);
        var inFlight = new Queue<Task<PublishResponse>>();
        var outstanding = Math.Max(1, _options.PublishRequests);
        var timeout = TimeSpan.FromMilliseconds((_revisedInterval * _revisedKeepAlive * (outstanding + 1)) + 5000);
        var nextWatchdog = _time.GetTimestamp();
        var timeouts = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                while (inFlight.Count < outstanding)
                {
                    var acks = _acks.ToArray();
                    _acks.Clear();
                    inFlight.Enqueue(session.CallAsync<PublishResponse>(new PublishRequest(acks), cancellationToken, timeout));
                }

                PublishResponse response;
                try
                {
                    response = await inFlight.Dequeue().ConfigureAwait(false);
                }
                catch (UaStatusException ex) when (ex.StatusCode is StatusCodes.BadTooManyPublishRequests)
                {
                    // The server holds fewer requests than we sent: keep one less outstanding.
                    outstanding = Math.Max(1, outstanding - 1);
                    continue;
                }
                catch (UaStatusException ex) when (ex.StatusCode == StatusCodes.BadTimeout && ++timeouts < outstanding && session.Channel.Fault is null)
                {
                    // One request expired; the others still stand. As many timeouts in a row as
                    // requests outstanding means the server stopped answering: the exception ends the loop.
                    continue;
                }

                timeouts = 0;

                await HandleAsync(session, response, onData, cancellationToken).ConfigureAwait(false);
                if (_time.GetTimestamp() >= nextWatchdog)
                {
                    await RunWatchdogAsync(session, cancellationToken).ConfigureAwait(false);
                    nextWatchdog = _time.GetTimestamp() + _time.TimestampFrequency;
                }
            }
        }
        finally
        {
            // Outstanding requests end with the channel or the token; observe them so none is left unobserved.
            foreach (var pending in inFlight)
            {
                _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    private async Task HandleAsync(UaSession session, PublishResponse response, Func<IReadOnlyList<(int Item, DataValue Value)>, ValueTask> onData, CancellationToken cancellationToken)
    {
        if (response.SubscriptionId != SubscriptionId && response.SubscriptionId != 0)
        {
            return; // a subscription of an earlier incarnation of this session
        }

        var message = response.Message;
        if (message.StatusChange is { } status && StatusCodes.IsBad(status))
        {
            // BadTimeout here means the subscription's lifetime ran out (OPC 10000-4 §7.25.4): it must be created again.
            throw new UaStatusException(StatusCodes.BadNoSubscription, $"subscription {SubscriptionId} ended with {StatusCodes.Name(status)}");
        }

        if (!message.HasData)
        {
            Counters.AddKeepAlive();
            return;
        }

        if (DropFilter?.Invoke(message) == true)
        {
            return;
        }

        if (_lastSequence != 0 && message.SequenceNumber > _lastSequence + 1)
        {
            await FillGapAsync(session, message.SequenceNumber, response.AvailableSequenceNumbers, onData, cancellationToken).ConfigureAwait(false);
        }

        if (_lastSequence == 0 || message.SequenceNumber > _lastSequence || _lastSequence - message.SequenceNumber > uint.MaxValue / 2)
        {
            await DeliverAsync(message, onData).ConfigureAwait(false);
            _lastSequence = message.SequenceNumber;
        }

        _acks.Add(new SubscriptionAcknowledgement(SubscriptionId, message.SequenceNumber));
    }

    private async Task FillGapAsync(UaSession session, uint received, uint[] available, Func<IReadOnlyList<(int Item, DataValue Value)>, ValueTask> onData, CancellationToken cancellationToken)
    {
        var first = Math.Max(_lastSequence + 1, received > MaxRepublish ? received - MaxRepublish : 1);
        for (var missing = _lastSequence + 1; missing < first; missing++)
        {
            Counters.AddLost();
        }

        for (var missing = first; missing < received; missing++)
        {
            if (available.Length > 0 && !available.Contains(missing))
            {
                Counters.AddLost();
                continue;
            }

            try
            {
                var again = await session.CallAsync<RepublishResponse>(new RepublishRequest(SubscriptionId, missing), cancellationToken).ConfigureAwait(false);
                Counters.AddRepublished();
                await DeliverAsync(again.Message, onData).ConfigureAwait(false);
                _acks.Add(new SubscriptionAcknowledgement(SubscriptionId, missing));
            }
            catch (UaStatusException ex) when (ex.StatusCode == StatusCodes.BadMessageNotAvailable)
            {
                Counters.AddLost();
            }

            _lastSequence = missing;
        }
    }

    private async ValueTask DeliverAsync(NotificationMessage message, Func<IReadOnlyList<(int Item, DataValue Value)>, ValueTask> onData)
    {
        if (message.DataChanges.Length == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var batch = new List<(int, DataValue)>(message.DataChanges.Length);
        foreach (var change in message.DataChanges)
        {
            // Handles are 1-based indexes; anything else is not ours (a stale item of a rebuilt subscription).
            var index = (int)change.ClientHandle - 1;
            if (index >= 0 && index < _items.Length)
            {
                _items[index].LastNotification = now;
                batch.Add((index, change.Value));
            }
        }

        Counters.AddNotifications(batch.Count);
        await onData(batch).ConfigureAwait(false);
    }

    private async Task RunWatchdogAsync(UaSession session, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var silent = _items.Where(i => i.Spec.Watchdog is { } limit && i.ServerId != 0 && _time.GetElapsedTime(i.LastNotification, now) > limit).ToArray();
        if (silent.Length == 0)
        {
            return;
        }

        // Delete and create again: a fresh item always reports its current value first, and a
        // server that lost track of the item (a known failure of some servers) samples it anew.
        await session.CallAsync<DeleteMonitoredItemsResponse>(new DeleteMonitoredItemsRequest(SubscriptionId, silent.Select(i => i.ServerId).ToArray()), cancellationToken).ConfigureAwait(false);
        await CreateItemsAsync(session, silent, cancellationToken).ConfigureAwait(false);
        foreach (var item in silent)
        {
            Counters.AddRebuilt();
            UaLog.ItemRebuilt(_logger, item.Spec.NodeId.ToString(), item.Spec.Watchdog!.Value.TotalMilliseconds);
        }
    }
}
