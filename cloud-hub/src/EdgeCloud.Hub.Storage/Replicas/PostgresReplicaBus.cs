using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EdgeCloud.Hub.Storage.Replicas;

/// <summary>
/// <see cref="IReplicaBus"/> over PostgreSQL LISTEN/NOTIFY on one channel (<see cref="Channel"/>), the payload
/// being "topic\npayload". One connection per replica listens; notifications go through a bounded queue
/// (<see cref="QueueCapacity"/>, overflow policy: drop the oldest, counted and logged, since a message is only a
/// hint) to the handlers, so a slow handler never stalls the listening connection. A lost connection is
/// reopened after <c>reconnectDelay</c> (default 1 s); messages sent meanwhile are missed, as the interface
/// allows. Either way something was missed, so the <see cref="OnResumed"/> handlers run, in the dispatch order
/// after what was queued before, once it listens again or once the handlers caught up after a drop: they catch
/// up from the database.
/// </summary>
internal sealed partial class PostgresReplicaBus : BackgroundService, IReplicaBus
{
    public const string Channel = "edgecloud_replicas";
    public const int QueueCapacity = 1024;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresReplicaBus> _logger;
    private readonly TimeSpan _reconnectDelay;
    private readonly ReplicaSubscriptions _subscriptions = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<(string Topic, string Payload)> _queue;

    private long _dropped;
    private int _catchUpPending;

    public PostgresReplicaBus(string connectionString, ILogger<PostgresReplicaBus> logger, TimeSpan? reconnectDelay = null)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _logger = logger;
        _reconnectDelay = reconnectDelay ?? TimeSpan.FromSeconds(1);

        // DropOldest never refuses a write: the callback is where a drop shows.
        _queue = System.Threading.Channels.Channel.CreateBounded<(string, string)>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ =>
            {
                Interlocked.Increment(ref _dropped);
                Volatile.Write(ref _catchUpPending, 1);
            });
    }

    /// <summary>Completes once this replica listens (first LISTEN done).</summary>
    public Task Listening => _listening.Task;

    /// <summary>Notifications dropped because the handlers fell behind by more than the queue holds.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public async ValueTask PublishAsync(string topic, string payload, CancellationToken cancellationToken = default)
    {
        ReplicaSubscriptions.ThrowIfInvalid(topic, payload);
        await using var command = _dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Channel });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = topic + "\n" + payload });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public IDisposable Subscribe(string topic, Func<string, CancellationToken, ValueTask> handler) => _subscriptions.Add(topic, handler);

    public IDisposable OnResumed(Func<CancellationToken, ValueTask> handler) => _subscriptions.Add(ReplicaSubscriptions.ResumedTopic, (_, token) => handler(token));

    public override void Dispose()
    {
        _dataSource.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(ListenAsync(stoppingToken), DispatchAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    var split = e.Payload.IndexOf('\n', StringComparison.Ordinal);
                    if (split > 0)
                    {
                        _queue.Writer.TryWrite((e.Payload[..split], e.Payload[(split + 1)..]));
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (!_listening.TrySetResult())
                {
                    // Listening again after a gap: catching up must not be dropped by a full queue.
                    await _queue.Writer.WriteAsync((ReplicaSubscriptions.ResumedTopic, ""), stoppingToken);
                }

                LogListening(_logger, Channel);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException ex)
            {
                LogListenFailed(_logger, ex);
            }

            try
            {
                await Task.Delay(_reconnectDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (topic, payload) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await _subscriptions.DispatchAsync(topic, payload, stoppingToken);
                    if (Interlocked.Exchange(ref _catchUpPending, 0) == 1)
                    {
                        LogDropped(_logger, Interlocked.Read(ref _dropped));
                        await _subscriptions.DispatchAsync(ReplicaSubscriptions.ResumedTopic, "", stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One failing handler must not stop the bus for every other topic.
                    LogHandlerFailed(_logger, topic, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7200, Level = LogLevel.Information, Message = "Listening for replica messages on PostgreSQL channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Replica message listener lost its connection; reconnecting shortly")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Replica messages dropped because the handlers fell behind ({Dropped} so far); catching up from the database")]
    private static partial void LogDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Error, Message = "A replica message handler for topic {Topic} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, Exception exception);
}
